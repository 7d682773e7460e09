// The tunnel end to end: a private sshd forwards direct-streamlocal channels
// to a unix-socket echo server (see private_sshd.h).

#include "transport/host_connection.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <random>

#include "private_sshd.h"

namespace baton::transport {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using testing::Exchange;
using testing::PrivateSshd;

struct Tunnel {
  PrivateSshd sshd;
  testing::EchoServer echo{sshd.dir() / "echo.sock"};
  std::unique_ptr<HostConnection> connection;

  explicit Tunnel(const std::string& remote_socket = "",
                  milliseconds dead_peer_timeout = milliseconds(30000)) {
    ::unsetenv("SSH_AUTH_SOCK");
    sshd.TrustHostKey();
    HostConfig host = sshd.Host();
    host.socket = remote_socket.empty() ? echo.socket().string() : remote_socket;
    SshOptions options;
    options.ssh_config_file = sshd.ssh_config();
    options.dead_peer_timeout = dead_peer_timeout;
    auto opened = HostConnection::Open(host, options);
    INFO((opened.ok() ? "" : opened.error().ToString()));
    REQUIRE(opened.ok());
    connection = std::move(*opened);
  }
  UniqueFd Connect() const {
    UniqueFd fd = testing::ConnectUnix(connection->socket_path());
    REQUIRE(fd);
    return fd;
  }
};

// Reads until end-of-file; false if none comes within `limit`.
bool SeesEndOfFile(int fd, milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    char buffer[4096];
    ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno == ECONNRESET)) return true;
  }
  return false;
}

TEST_CASE("host connection: bytes reach the remote socket and come back", "[transport][tunnel]") {
  Tunnel tunnel;
  UniqueFd client = tunnel.Connect();
  CHECK(Exchange(client.get(), "hello over ssh\n", 15) == "hello over ssh\n");
  INFO((tunnel.connection->Health().ok() ? "" : tunnel.connection->Health().error().ToString()));
  CHECK(tunnel.connection->Health().ok());
  CHECK(tunnel.connection->ssh_round_trip().has_value());
}

TEST_CASE("host connection: megabytes pass intact both ways", "[transport][tunnel]") {
  Tunnel tunnel;
  std::string payload(4 << 20, '\0');
  std::mt19937 random(7);
  for (char& c : payload) c = static_cast<char>(random());
  UniqueFd client = tunnel.Connect();
  std::string echoed = Exchange(client.get(), payload, payload.size());
  CHECK(echoed.size() == payload.size());
  CHECK(echoed == payload);
}

TEST_CASE("host connection: concurrent clients get their own channels", "[transport][tunnel]") {
  Tunnel tunnel;
  std::vector<UniqueFd> clients;
  for (int i = 0; i < 8; ++i) clients.push_back(tunnel.Connect());
  for (int i = 7; i >= 0; --i) {
    std::string line = "client " + std::to_string(i) + "\n";
    CHECK(Exchange(clients[i].get(), line, line.size()) == line);
  }
  CHECK(tunnel.echo.connections() == 8);
}

TEST_CASE("host connection: a client's half-close reaches the remote end", "[transport][tunnel]") {
  Tunnel tunnel;
  UniqueFd client = tunnel.Connect();
  CHECK(Exchange(client.get(), "last words", 10) == "last words");
  ::shutdown(client.get(), SHUT_WR);  // the echo server sees EOF and closes
  CHECK(SeesEndOfFile(client.get(), milliseconds(3000)));
}

TEST_CASE("host connection: the remote end closing ends the client's stream",
          "[transport][tunnel]") {
  Tunnel tunnel;
  UniqueFd client = tunnel.Connect();
  CHECK(Exchange(client.get(), "bye\n", 4) == "bye\n");
  CHECK(SeesEndOfFile(client.get(), milliseconds(3000)));
}

TEST_CASE("host connection: a missing remote socket fails the channel and says why",
          "[transport][tunnel]") {
  Tunnel tunnel("/nonexistent/docker.sock");
  UniqueFd client = tunnel.Connect();
  CHECK(SeesEndOfFile(client.get(), milliseconds(3000)));
  Status health = tunnel.connection->Health();
  REQUIRE_FALSE(health.ok());
  CHECK(health.error().kind == Error::Kind::kUnreachable);
  CHECK(health.error().ToString() ==
        "host test1: open /nonexistent/docker.sock: the host's sshd refused the channel (open "
        "failed): is Docker running, is the socket path right, and does sshd allow forwarding "
        "(AllowTcpForwarding, AllowStreamLocalForwarding)?");
}

TEST_CASE("host connection: a lost session ends every relay and refuses new ones",
          "[transport][tunnel]") {
  Tunnel tunnel;
  UniqueFd client = tunnel.Connect();
  CHECK(Exchange(client.get(), "ping\n", 5) == "ping\n");
  tunnel.sshd.DropConnections();
  CHECK(SeesEndOfFile(client.get(), milliseconds(3000)));
  Status health = tunnel.connection->Health();
  REQUIRE_FALSE(health.ok());
  CHECK(health.error().kind == Error::Kind::kUnreachable);
  // Killed sshd processes close the connection, or reset it when data was in flight.
  std::string lost = health.error().ToString();
  CHECK((lost == "host test1: ssh connection lost: socket error: disconnected" ||
         lost == "host test1: ssh connection lost: socket error: Connection reset by peer"));
  UniqueFd late = tunnel.Connect();
  CHECK(SeesEndOfFile(late.get(), milliseconds(1000)));
}

TEST_CASE("host connection: a host that falls silent is noticed", "[transport][tunnel]") {
  Tunnel tunnel("", milliseconds(2000));
  UniqueFd client = tunnel.Connect();
  CHECK(Exchange(client.get(), "ping\n", 5) == "ping\n");
  auto start = std::chrono::steady_clock::now();
  testing::DroppedPort silence(tunnel.sshd.port());
  CHECK(SeesEndOfFile(client.get(), milliseconds(10000)));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(6));
  Status health = tunnel.connection->Health();
  REQUIRE_FALSE(health.ok());
  CHECK(health.error().kind == Error::Kind::kUnreachable);
  CHECK(health.error().ToString() ==
        "host test1: ssh connection lost: socket error: Connection timed out");
}

TEST_CASE("host connection: the local socket is private and removed at the end",
          "[transport][tunnel]") {
  fs::path socket, dir;
  {
    Tunnel tunnel;
    UniqueFd client = tunnel.Connect();  // still connected at destruction
    socket = tunnel.connection->socket_path();
    dir = socket.parent_path();
    struct stat st {};
    REQUIRE(::stat(dir.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
  }
  CHECK_FALSE(fs::exists(socket));
  CHECK_FALSE(fs::exists(dir));
}

TEST_CASE("host connection: the local engine needs no ssh", "[transport][tunnel]") {
  HostConfig local;
  local.name = "local";
  local.socket = "/var/run/docker.sock";
  auto opened = HostConnection::Open(local, SshOptions{});
  REQUIRE(opened.ok());
  CHECK((*opened)->socket_path() == "/var/run/docker.sock");
  CHECK_FALSE((*opened)->ssh_round_trip().has_value());
}

TEST_CASE("host connection: hosts open in parallel and fail separately", "[transport][tunnel]") {
  PrivateSshd sshd;
  sshd.TrustHostKey();
  ::unsetenv("SSH_AUTH_SOCK");
  HostConfig good = sshd.Host("good");
  HostConfig refused = sshd.Host("refused");
  refused.ssh.port = testing::UnusedLoopbackPort();
  SshOptions options;
  options.ssh_config_file = sshd.ssh_config();
  auto results = HostConnection::OpenAll({good, refused}, options);
  REQUIRE(results.size() == 2);
  CHECK(results[0].ok());
  REQUIRE_FALSE(results[1].ok());
  CHECK(results[1].error().ToString() ==
        "host refused: connect to 127.0.0.1:" + std::to_string(refused.ssh.port) +
            ": connection refused");
}

}  // namespace
}  // namespace baton::transport
