#include "runtime/dns/resolve.h"

#include <algorithm>

#include "runtime/dns/lookup.h"
#include "runtime/dns/message.h"

namespace baton::dns {
namespace {

// SRV records carry one priority and weight for every replica: clients pick
// among them evenly, as they would among the rotated A records.
constexpr uint16_t kSrvPriority = 0;
constexpr uint16_t kSrvWeight = 1;

Reply Answer(std::string bytes) { return {Verdict::kAnswer, std::move(bytes)}; }

std::string AddressBytes(uint32_t ipv4) {
  return {static_cast<char>(ipv4 >> 24), static_cast<char>((ipv4 >> 16) & 0xFF),
          static_cast<char>((ipv4 >> 8) & 0xFF), static_cast<char>(ipv4 & 0xFF)};
}

std::string Bytes16(uint16_t value) {
  return {static_cast<char>(value >> 8), static_cast<char>(value & 0xFF)};
}

void AddAddresses(const Lookup& lookup, uint32_t ttl, Response* response) {
  for (const Endpoint* e : lookup.replicas) {
    response->answers.push_back({kQuestionNamePointer, kTypeA, ttl, AddressBytes(e->ipv4)});
  }
}

// One SRV record per replica whose container name is a valid DNS name, its
// target resolving (the container name rule) to the same address, which the
// additional section carries so that clients need no second query.
void AddServices(const Lookup& lookup, uint32_t ttl, Response* response) {
  for (const Endpoint* e : lookup.replicas) {
    std::string target;
    if (!AppendName(e->container, &target)) continue;
    std::string rdata = Bytes16(kSrvPriority) + Bytes16(kSrvWeight) + Bytes16(lookup.port) + target;
    response->answers.push_back({kQuestionNamePointer, kTypeSrv, ttl, std::move(rdata)});
    response->additionals.push_back({target, kTypeA, ttl, AddressBytes(e->ipv4)});
  }
}

}  // namespace

Reply Resolve(std::string_view query, uint32_t asker, const std::vector<Endpoint>& endpoints,
              const ResolveOptions& options) {
  std::optional<Header> header = ReadHeader(query);
  if (!header || header->qr) return {Verdict::kDrop, ""};
  if (header->opcode != kOpcodeQuery) return Answer(ErrorReply(*header, Rcode::kNotImp));
  auto question = ReadQuestion(query, *header);
  if (!question.ok()) return Answer(ErrorReply(*header, Rcode::kFormErr));
  if (question->klass != kClassIn) return {Verdict::kForward, ""};

  Lookup lookup = Find(question->name, asker, endpoints);
  if (lookup.kind == Lookup::Kind::kUnknown) return {Verdict::kForward, ""};
  if (!lookup.replicas.empty()) {
    size_t first = options.rotation % lookup.replicas.size();
    std::rotate(lookup.replicas.begin(), lookup.replicas.begin() + first, lookup.replicas.end());
  }
  Response response;
  response.header = ReplyHeader(*header, Rcode::kNoError);
  response.header.aa = true;
  bool address = lookup.kind == Lookup::Kind::kAddress && question->type == kTypeA;
  bool service = lookup.kind == Lookup::Kind::kService && question->type == kTypeSrv;
  if (address) AddAddresses(lookup, options.ttl, &response);
  if (service) AddServices(lookup, options.ttl, &response);
  response.question = std::move(*question);
  return Answer(Serialize(response, options.max_size));
}

}  // namespace baton::dns
