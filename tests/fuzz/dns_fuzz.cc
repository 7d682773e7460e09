// libFuzzer target over the DNS wire format and the cluster name answers:
// any bytes given as a query must be answered, forwarded or dropped, never
// crash, leak, hang or read out of bounds. An answer must itself be a
// readable response of at most max_size bytes (unless the question alone is
// longer), and SERVFAIL must be empty or a readable response too.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/dns/message.h"
#include "runtime/dns/resolve.h"

namespace {

constexpr uint32_t kAsker = 0x0ad20103;  // 10.210.1.3, shop-web-1 on shop_back

const std::vector<baton::dns::Endpoint>& Endpoints() {
  static const std::vector<baton::dns::Endpoint> endpoints{
      {"shop_front", 0x0ad20402, "web", "shop-web-1", {}, true},
      {"shop_back", kAsker, "web", "shop-web-1", {}, true},
      {"shop_back", 0x0ad20102, "api", "shop-api-1", {"backend"}, true},
      {"shop_back", 0x0ad20202, "api", "shop-api-2", {"backend"}, true},
      {"shop_back", 0x0ad20302, "api", "shop-api-3", {"backend"}, false},
      {"shop_front", 0x0ad20404, "cache", "shop-cache-1", {}, true},
      {"shop_back", 0x0ad20104, "cache", "shop-cache-1", {}, true},
      {"shop_back", 0x0ad20203, "db", "db", {"Database."}, true},
      {"other_default", 0x0ad20902, "api", "other-api-1", {}, true},
  };
  return endpoints;
}

// A reply the library wrote must read back as a response with a question.
void CheckReadable(const std::string& reply) {
  std::optional<baton::dns::Header> header = baton::dns::ReadHeader(reply);
  if (!header || !header->qr) std::abort();
  if (header->qdcount == 1 && !baton::dns::ReadQuestion(reply, *header).ok()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view query(reinterpret_cast<const char*>(data), size);
  baton::dns::ResolveOptions options;
  options.rotation = size;  // varies the rotation without taking bytes from the query
  options.max_size = size % 2 == 0 ? 512 : 96;
  baton::dns::Reply reply = baton::dns::Resolve(query, kAsker, Endpoints(), options);
  if (reply.verdict == baton::dns::Verdict::kAnswer) {
    CheckReadable(reply.bytes);
    // 12 header + 255 name + 4 type and class: the longest header and question.
    if (reply.bytes.size() > options.max_size && reply.bytes.size() > 271) std::abort();
  } else if (!reply.bytes.empty()) {
    std::abort();
  }
  if (std::string servfail = baton::dns::ServFail(query); !servfail.empty())
    CheckReadable(servfail);
  return 0;
}
