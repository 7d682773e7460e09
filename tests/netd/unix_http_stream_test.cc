#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "base/unique_fd.h"
#include "base/unix_http.h"

namespace baton {
namespace {

// A one-shot unix socket server: accepts one connection, reads the request
// head, writes `pieces` one by one (so replies arrive split), then holds the
// connection open for `hold` before closing it.
class OneShotServer {
 public:
  OneShotServer(std::vector<std::string> pieces, std::chrono::milliseconds hold)
      : path_("/tmp/netd-http-test-" + std::to_string(getpid()) + ".sock") {
    unlink(path_.c_str());
    listener_.Reset(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strcpy(addr.sun_path, path_.c_str());
    REQUIRE(bind(listener_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(listen(listener_.get(), 1) == 0);
    thread_ = std::thread([this, pieces = std::move(pieces), hold] { Serve(pieces, hold); });
  }
  ~OneShotServer() {
    thread_.join();
    unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }
  const std::string& request() const { return request_; }

 private:
  void Serve(const std::vector<std::string>& pieces, std::chrono::milliseconds hold) {
    UniqueFd conn(accept(listener_.get(), nullptr, nullptr));
    char buf[4096];
    while (request_.find("\r\n\r\n") == std::string::npos) {
      ssize_t n = recv(conn.get(), buf, sizeof buf, 0);
      if (n <= 0) return;
      request_.append(buf, static_cast<size_t>(n));
    }
    for (const std::string& piece : pieces) {
      send(conn.get(), piece.data(), piece.size(), MSG_NOSIGNAL);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::this_thread::sleep_for(hold);
  }

  std::string path_;
  UniqueFd listener_;
  std::string request_;
  std::thread thread_;
};

constexpr char kChunkedHead[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";

TEST_CASE("unix http stream: chunked lines arrive whole, however split", "[base][http]") {
  std::vector<std::string> lines;
  {
    OneShotServer server({std::string(kChunkedHead) + "8\r\n{\"a\":1}\n\r\n7\r\n{\"b\":", "2}\r",
                          "\n2\r\n\n\n\r\n0\r\n\r\n"},
                         std::chrono::milliseconds(0));
    std::stop_source stop;
    auto s = UnixHttpStreamLines(server.path(), "/events", [&](std::string_view line) {
      lines.emplace_back(line);
      return true;
    }, stop.get_token());
    INFO((s.ok() ? "" : s.error().ToString()));
    REQUIRE(s.ok());
    CHECK(server.request().rfind("GET /events HTTP/1.1\r\n", 0) == 0);
  }
  CHECK(lines == std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", ""});
}

TEST_CASE("unix http stream: stop ends a silent stream", "[base][http]") {
  OneShotServer server({kChunkedHead}, std::chrono::milliseconds(1500));
  std::stop_source stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    stop.request_stop();
  });
  auto start = std::chrono::steady_clock::now();
  auto s = UnixHttpStreamLines(server.path(), "/events", [](std::string_view) { return true; },
                               stop.get_token());
  auto took = std::chrono::steady_clock::now() - start;
  stopper.join();
  CHECK(s.ok());
  CHECK(took < std::chrono::milliseconds(1000));
}

TEST_CASE("unix http stream: the handler can end the stream", "[base][http]") {
  OneShotServer server({std::string(kChunkedHead) + "4\r\na\nb\n\r\n"},
                       std::chrono::milliseconds(1500));
  int calls = 0;
  auto s = UnixHttpStreamLines(server.path(), "/events", [&](std::string_view) {
    ++calls;
    return false;
  }, std::stop_source().get_token());
  CHECK(s.ok());
  CHECK(calls == 1);
}

TEST_CASE("unix http stream: an overlong line is refused", "[base][http]") {
  OneShotServer server({"HTTP/1.1 200 OK\r\n\r\n" + std::string(40, 'x')},
                       std::chrono::milliseconds(0));
  auto s = UnixHttpStreamLines(server.path(), "/events", [](std::string_view) { return true; },
                               std::stop_source().get_token(), 32);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() == "line longer than 32 bytes");
}

TEST_CASE("unix http stream: an error status is an error", "[base][http]") {
  OneShotServer server({"HTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\n\r\n{}"},
                       std::chrono::milliseconds(0));
  auto s = UnixHttpStreamLines(server.path(), "/events", [](std::string_view) { return true; },
                               std::stop_source().get_token());
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() == "http status 400");
}

TEST_CASE("unix http stream: a bad chunk is refused", "[base][http]") {
  OneShotServer server({std::string(kChunkedHead) + "zz\r\nab\r\n"},
                       std::chrono::milliseconds(0));
  auto s = UnixHttpStreamLines(server.path(), "/events", [](std::string_view) { return true; },
                               std::stop_source().get_token());
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() == "bad chunk size");
}

}  // namespace
}  // namespace baton
