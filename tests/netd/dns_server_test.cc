#include "runtime/netd/dns_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "base/unique_fd.h"

// The DNS service over loopback: "gateway" 127.0.81.1, the asking container
// 127.0.81.2, a fake upstream resolver 127.0.81.3.
namespace baton::netd {
namespace {

using namespace std::chrono_literals;

const uint16_t kPort = static_cast<uint16_t>(40000 + (getpid() + 7) % 20000);
const uint16_t kUpstreamPort = static_cast<uint16_t>(kPort + 1);

sockaddr_in Address(const char* ip, uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  inet_pton(AF_INET, ip, &addr.sin_addr);
  return addr;
}

UniqueFd BoundSocket(int type, const char* ip, uint16_t port) {
  UniqueFd fd(socket(AF_INET, type | SOCK_CLOEXEC, 0));
  sockaddr_in addr = Address(ip, port);
  REQUIRE(bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  return fd;
}

// A query for `name` type A with id 0x4242 and RD set.
std::string Query(const std::string& name) {
  std::string q("\x42\x42\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00", 12);
  size_t at = 0;
  while (at <= name.size()) {
    size_t dot = std::min(name.find('.', at), name.size());
    q += static_cast<char>(dot - at);
    q += name.substr(at, dot - at);
    at = dot + 1;
  }
  q += std::string("\x00\x00\x01\x00\x01", 5);
  return q;
}

// Waits up to `within` for one datagram on `fd`; "" when none came.
std::string Receive(int fd, std::chrono::milliseconds within, sockaddr_in* from = nullptr) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(within.count())) != 1) return "";
  char buf[2048];
  socklen_t len = sizeof(sockaddr_in);
  ssize_t n =
      recvfrom(fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(from), from ? &len : nullptr);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

int Rcode(const std::string& reply) { return reply.size() < 4 ? -1 : reply[3] & 0x0f; }
int AnswerCount(const std::string& reply) { return reply.size() < 8 ? -1 : reply[7]; }

struct Fixture {
  Fixture()
      : server(
            kPort, [](const std::string&) {}, kUpstreamPort) {
    server.SetGateways({"127.0.81.1"});
    server.SetEndpoints({{"n", 0x7f005102, "client", "c-1", {}, true},
                         {"n", 0x0ad20305, "api", "api-1", {}, true}});
    server.Start();
    std::this_thread::sleep_for(300ms);  // the first round binds the gateway
  }
  std::string Ask(const std::string& query, std::chrono::milliseconds within = 1s) {
    sockaddr_in to = Address("127.0.81.1", kPort);
    sendto(client.get(), query.data(), query.size(), 0, reinterpret_cast<sockaddr*>(&to),
           sizeof to);
    return Receive(client.get(), within);
  }

  DnsServer server;
  UniqueFd client = BoundSocket(SOCK_DGRAM, "127.0.81.2", 0);
};

TEST_CASE("dns server: a cluster name is answered on the gateway", "[netd][dns-server]") {
  Fixture f;
  std::string reply = f.Ask(Query("api"));
  REQUIRE(reply.size() > 16);
  CHECK(reply.substr(0, 2) == "\x42\x42");
  CHECK(Rcode(reply) == 0);
  CHECK(AnswerCount(reply) == 1);
  CHECK(reply.substr(reply.size() - 4) == std::string("\x0a\xd2\x03\x05", 4));
}

TEST_CASE("dns server: other names are relayed and the id restored", "[netd][dns-server]") {
  Fixture f;
  UniqueFd upstream = BoundSocket(SOCK_DGRAM, "127.0.81.3", kUpstreamPort);
  f.server.SetUpstreams({"127.0.81.3"});
  std::thread resolver([&] {
    sockaddr_in from{};
    std::string relayed = Receive(upstream.get(), 2s, &from);
    if (relayed.size() < 12) return;
    relayed[2] = static_cast<char>(relayed[2] | 0x80);  // a response, no answers
    sendto(upstream.get(), relayed.data(), relayed.size(), 0, reinterpret_cast<sockaddr*>(&from),
           sizeof from);
  });
  std::string reply = f.Ask(Query("example.org"), 2s);
  resolver.join();
  REQUIRE(reply.size() == Query("example.org").size());
  CHECK(reply.substr(0, 2) == "\x42\x42");
  CHECK((reply[2] & 0x80) != 0);
}

TEST_CASE("dns server: no upstream answer in 2 s gives SERVFAIL", "[netd][dns-server]") {
  Fixture f;
  UniqueFd silent = BoundSocket(SOCK_DGRAM, "127.0.81.3", kUpstreamPort);
  f.server.SetUpstreams({"127.0.81.3"});
  auto start = std::chrono::steady_clock::now();
  std::string reply = f.Ask(Query("example.org"), 3s);
  CHECK(std::chrono::steady_clock::now() - start >= 1900ms);
  REQUIRE(reply.size() >= 12);
  CHECK(reply.substr(0, 2) == "\x42\x42");
  CHECK(Rcode(reply) == 2);
}

TEST_CASE("dns server: no upstream at all gives SERVFAIL at once", "[netd][dns-server]") {
  Fixture f;
  std::string reply = f.Ask(Query("example.org"), 500ms);
  CHECK(Rcode(reply) == 2);
}

TEST_CASE("dns server: queries over tcp are answered", "[netd][dns-server]") {
  Fixture f;
  UniqueFd tcp = BoundSocket(SOCK_STREAM, "127.0.81.2", 0);
  sockaddr_in to = Address("127.0.81.1", kPort);
  REQUIRE(connect(tcp.get(), reinterpret_cast<sockaddr*>(&to), sizeof to) == 0);
  std::string query = Query("api");
  std::string framed = std::string{static_cast<char>(0), static_cast<char>(query.size())} + query;
  send(tcp.get(), framed.data(), framed.size(), MSG_NOSIGNAL);
  std::string reply = Receive(tcp.get(), 1s);
  REQUIRE(reply.size() > 18);
  CHECK(static_cast<size_t>(static_cast<uint8_t>(reply[1])) == reply.size() - 2);
  CHECK(AnswerCount(reply.substr(2)) == 1);
}

TEST_CASE("dns server: a gateway no longer listed stops answering", "[netd][dns-server]") {
  Fixture f;
  f.server.SetGateways({});
  std::this_thread::sleep_for(300ms);
  CHECK(f.Ask(Query("api"), 300ms).empty());
}

TEST_CASE("dns server: a gateway added later is served within a poll round, and says so",
          "[netd][dns-server]") {
  Fixture f;
  CHECK(f.server.Serves({"127.0.81.1"}));
  CHECK_FALSE(f.server.Serves({"127.0.81.1", "127.0.81.3"}));
  f.server.SetGateways({"127.0.81.1", "127.0.81.3"});
  std::this_thread::sleep_for(300ms);  // well under the 1 s retry of a failed bind
  CHECK(f.server.Serves({"127.0.81.1", "127.0.81.3"}));
}

}  // namespace
}  // namespace baton::netd
