#include "runtime/netd/peer_sync.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>

#include "base/unique_fd.h"

// Two in-process peer syncs over loopback addresses (127.0.80.x).
namespace baton::netd {
namespace {

using namespace std::chrono_literals;

const uint16_t kPort = static_cast<uint16_t>(40000 + getpid() % 20000);

NetdConfig Config(const std::string& self) {
  NetdConfig config;
  config.host = self;
  config.sync_port = kPort;
  config.hosts = {{"a", "127.0.80.1"}, {"b", "127.0.80.2"}};
  return config;
}

class LogRecorder {
 public:
  PeerSync::Log Sink() {
    return [this](const std::string& line) {
      std::lock_guard lock(mu_);
      lines_.push_back(line);
    };
  }
  bool Has(const std::string& line) {
    std::lock_guard lock(mu_);
    return std::find(lines_.begin(), lines_.end(), line) != lines_.end();
  }

 private:
  std::mutex mu_;
  std::vector<std::string> lines_;
};

Announcement Saying(const std::string& host, const std::string& network) {
  return {host, "", {{network, "10.210.9.0/24", "10.210.9.1"}}, {}};
}

bool Eventually(const std::function<bool()>& check, std::chrono::milliseconds within) {
  auto until = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < until) {
    if (check()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return check();
}

bool Hears(const PeerSync& sync, const std::string& host, const std::string& network) {
  for (const Announcement& a : sync.Peers()) {
    if (a.host == host && !a.networks.empty() && a.networks[0].name == network) return true;
  }
  return false;
}

std::unique_ptr<PeerSync> Started(const std::string& self, LogRecorder& log) {
  auto sync = PeerSync::Start(Config(self), log.Sink());
  REQUIRE(sync.ok());
  return std::move(*sync);
}

TEST_CASE("peer sync: each side hears the other and changes arrive", "[netd][sync]") {
  LogRecorder log;
  auto a = Started("a", log);
  auto b = Started("b", log);
  a->Publish(Saying("a", "one"));
  b->Publish(Saying("b", "two"));
  CHECK(Eventually([&] { return Hears(*a, "b", "two") && Hears(*b, "a", "one"); }, 3s));
  a->Publish(Saying("a", "three"));
  CHECK(Eventually([&] { return Hears(*b, "a", "three"); }, 500ms));
  CHECK(log.Has("peer b: connected"));
}

TEST_CASE("peer sync: a peer whose netd ends is forgotten at once", "[netd][sync]") {
  LogRecorder log;
  auto a = Started("a", log);
  auto b = Started("b", log);
  b->Publish(Saying("b", "two"));
  REQUIRE(Eventually([&] { return Hears(*a, "b", "two"); }, 3s));
  b.reset();  // closes its connections in order, as a netd that exits does
  CHECK(Eventually([&] { return a->Peers().empty(); }, 500ms));
}

// Plays host b's server by hand, sending `line` to a's client.
void ServeAsB(const std::string& line, std::chrono::milliseconds hold = 300ms) {
  UniqueFd listener(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  int one = 1;
  setsockopt(listener.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(kPort);
  inet_pton(AF_INET, "127.0.80.2", &addr.sin_addr);
  REQUIRE(bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(listen(listener.get(), 1) == 0);
  UniqueFd conn(accept(listener.get(), nullptr, nullptr));
  send(conn.get(), line.data(), line.size(), MSG_NOSIGNAL);
  std::this_thread::sleep_for(hold);
}

TEST_CASE("peer sync: a silent peer is forgotten after 3 s", "[netd][sync]") {
  LogRecorder log;
  auto a = Started("a", log);
  // b's server says one thing and then nothing, keeping the connection open,
  // as a host that died without closing it (power loss, a cut link) looks.
  std::thread b([] { ServeAsB(ToJsonLine(Saying("b", "two")), 4500ms); });
  REQUIRE(Eventually([&] { return Hears(*a, "b", "two"); }, 2s));
  std::this_thread::sleep_for(2s);
  CHECK(Hears(*a, "b", "two"));  // heard within the last 3 s still counts
  CHECK(Eventually([&] { return a->Peers().empty(); }, 1500ms));
  b.join();
}

TEST_CASE("peer sync: garbage from a peer drops its connection", "[netd][sync]") {
  LogRecorder log;
  auto a = Started("a", log);
  ServeAsB("{not json\n");
  CHECK(Eventually([&] { return log.Has("peer b: disconnected: announcement: not json"); }, 1s));
  CHECK(a->Peers().empty());
}

TEST_CASE("peer sync: a peer announcing another host is dropped", "[netd][sync]") {
  LogRecorder log;
  auto a = Started("a", log);
  ServeAsB(ToJsonLine(Saying("c", "x")));
  CHECK(Eventually([&] { return log.Has("peer b: disconnected: announces host \"c\""); }, 1s));
  CHECK(a->Peers().empty());
}

TEST_CASE("peer sync: connections from other addresses are refused", "[netd][sync]") {
  LogRecorder log;
  auto a = Started("a", log);
  UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in from{};
  from.sin_family = AF_INET;
  inet_pton(AF_INET, "127.0.80.9", &from.sin_addr);
  REQUIRE(bind(fd.get(), reinterpret_cast<sockaddr*>(&from), sizeof from) == 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(kPort);
  inet_pton(AF_INET, "127.0.80.1", &to.sin_addr);
  REQUIRE(connect(fd.get(), reinterpret_cast<sockaddr*>(&to), sizeof to) == 0);
  char buf[16];
  CHECK(recv(fd.get(), buf, sizeof buf, 0) == 0);  // closed without a word
  CHECK(log.Has("peer sync: refused a connection from 127.0.80.9"));
}

TEST_CASE("peer sync: a config without this host is refused", "[netd][sync]") {
  auto sync = PeerSync::Start(Config("z"), [](const std::string&) {});
  REQUIRE_FALSE(sync.ok());
  CHECK(sync.error().ToString() == "peer sync: this host is not among the hosts");
}

}  // namespace
}  // namespace baton::netd
