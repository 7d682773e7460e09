// Real SSH against a private sshd on 127.0.0.1 (see private_sshd.h).

#include "transport/ssh_session.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>

#include "private_sshd.h"

namespace baton::transport {
namespace {

using std::chrono::milliseconds;
using testing::PrivateSshd;

SshOptions TestOptions(const PrivateSshd& sshd) {
  ::unsetenv("SSH_AUTH_SOCK");  // the tests choose their keys
  SshOptions options;
  options.connect_timeout = milliseconds(3000);
  options.ssh_config_file = sshd.ssh_config();
  return options;
}

TEST_CASE("ssh session: connects with an identity file and a known host key", "[transport][ssh]") {
  PrivateSshd sshd;
  sshd.TrustHostKey();
  auto session = SshSession::Connect(sshd.Host(), TestOptions(sshd));
  INFO((session.ok() ? "" : session.error().ToString()));
  REQUIRE(session.ok());
  CHECK(session->endpoint() == "root@" + sshd.endpoint());
  auto rtt = session->MeasureRoundTrip();
  REQUIRE(rtt.ok());
  CHECK(*rtt < milliseconds(1000));
}

TEST_CASE("ssh session: an unknown host key is refused with its fingerprint", "[transport][ssh]") {
  PrivateSshd sshd;
  auto session = SshSession::Connect(sshd.Host(), TestOptions(sshd));
  REQUIRE_FALSE(session.ok());
  CHECK(session.error().kind == Error::Kind::kNotFound);
  CHECK(session.error().ToString() ==
        "host test1: unknown host key " + testing::KeyFingerprint(sshd.host_public_key()) +
            " for " + sshd.endpoint() + " (not in " + sshd.known_hosts().string() +
            "); if that fingerprint is right, run again with --accept-new-host-keys to record it");
}

TEST_CASE("ssh session: accepting a new host key records it", "[transport][ssh]") {
  PrivateSshd sshd;
  SshOptions options = TestOptions(sshd);
  options.accept_new_host_keys = true;
  REQUIRE(SshSession::Connect(sshd.Host(), options).ok());
  CHECK(testing::ReadWholeFile(sshd.known_hosts())
            .find("[127.0.0.1]:" + std::to_string(sshd.port())) == 0);
  options.accept_new_host_keys = false;
  CHECK(SshSession::Connect(sshd.Host(), options).ok());
}

TEST_CASE("ssh session: a changed host key is refused even when accepting new keys",
          "[transport][ssh]") {
  PrivateSshd sshd;
  sshd.TrustWrongHostKey();
  SshOptions options = TestOptions(sshd);
  options.accept_new_host_keys = true;
  auto session = SshSession::Connect(sshd.Host(), options);
  REQUIRE_FALSE(session.ok());
  CHECK(session.error().kind == Error::Kind::kConflict);
  std::string known_hosts = sshd.known_hosts().string();
  CHECK(session.error().ToString() ==
        "host test1: host key for " + sshd.endpoint() + " has changed: the server now offers " +
            testing::KeyFingerprint(sshd.host_public_key()) + ", which does not match " +
            known_hosts +
            "; refusing to connect (if the host was reinstalled, remove the old key with: "
            "ssh-keygen -R '[127.0.0.1]:" +
            std::to_string(sshd.port()) + "' -f " + known_hosts + ")");
}

TEST_CASE("ssh session: a key the server does not accept fails authentication",
          "[transport][ssh]") {
  PrivateSshd sshd;
  sshd.TrustHostKey();
  testing::GenerateKey(sshd.dir() / "stranger");
  HostConfig host = sshd.Host();
  host.identity_file = sshd.dir() / "stranger";
  auto session = SshSession::Connect(host, TestOptions(sshd));
  REQUIRE_FALSE(session.ok());
  CHECK(session.error().kind == Error::Kind::kInvalid);
  CHECK(session.error().ToString() ==
        "host test1: authentication failed for root@" + sshd.endpoint() + " (tried " +
            host.identity_file.string() + ", ~/.ssh/config and default identities)");
}

TEST_CASE("ssh session: a missing identity file is named", "[transport][ssh]") {
  PrivateSshd sshd;
  sshd.TrustHostKey();
  HostConfig host = sshd.Host();
  host.identity_file = sshd.dir() / "nope";
  auto session = SshSession::Connect(host, TestOptions(sshd));
  REQUIRE_FALSE(session.ok());
  CHECK(session.error().ToString() ==
        "host test1: identity file " + host.identity_file.string() +
            " is missing, unreadable or passphrase-protected (load such keys into ssh-agent)");
}

TEST_CASE("ssh session: ~/.ssh/config supplies host name, port, user and key", "[transport][ssh]") {
  PrivateSshd sshd;
  sshd.TrustHostKey();
  testing::WriteWholeFile(sshd.ssh_config(), "Host lab-alias\n  HostName 127.0.0.1\n  Port " +
                                                 std::to_string(sshd.port()) +
                                                 "\n  User root\n  IdentityFile " +
                                                 sshd.client_key().string() + "\n");
  HostConfig host;
  host.name = "alias";
  host.ssh = SshAddress{"", "lab-alias", 0};
  host.known_hosts_file = sshd.known_hosts();
  auto session = SshSession::Connect(host, TestOptions(sshd));
  INFO((session.ok() ? "" : session.error().ToString()));
  REQUIRE(session.ok());
  CHECK(session->endpoint() == "root@" + sshd.endpoint());
}

HostConfig Unreachable(int port) {
  HostConfig host;
  host.name = "gone";
  host.ssh = SshAddress{"root", "127.0.0.1", port};
  return host;
}

double SecondsToConnect(const HostConfig& host, const SshOptions& options, Error* error) {
  auto start = std::chrono::steady_clock::now();
  auto session = SshSession::Connect(host, options);
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(session.ok());
  *error = session.error();
  return elapsed.count();
}

TEST_CASE("ssh session: a closed port is refused at once", "[transport][ssh]") {
  int port = testing::UnusedLoopbackPort();
  Error error;
  CHECK(SecondsToConnect(Unreachable(port), SshOptions{}, &error) < 1.0);
  CHECK(error.kind == Error::Kind::kUnreachable);
  CHECK(error.ToString() ==
        "host gone: connect to 127.0.0.1:" + std::to_string(port) + ": connection refused");
}

TEST_CASE("ssh session: a host that drops packets times out", "[transport][ssh]") {
  testing::DroppedPort dropped(testing::UnusedLoopbackPort());
  SshOptions options;
  options.connect_timeout = milliseconds(700);
  Error error;
  double seconds = SecondsToConnect(Unreachable(dropped.port()), options, &error);
  CHECK(seconds >= 0.6);
  CHECK(seconds < 2.0);
  CHECK(error.kind == Error::Kind::kUnreachable);
  CHECK(error.ToString() == "host gone: connect to 127.0.0.1:" + std::to_string(dropped.port()) +
                                ": timed out after 700ms");
}

TEST_CASE("ssh session: a server that never speaks times out", "[transport][ssh]") {
  // A listener that never accepts: the TCP handshake completes, the SSH one never starts.
  UniqueFd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(listener.get(), 4) == 0);
  socklen_t length = sizeof addr;
  REQUIRE(::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&addr), &length) == 0);
  int port = ntohs(addr.sin_port);
  SshOptions options;
  options.connect_timeout = milliseconds(500);
  Error error;
  double seconds = SecondsToConnect(Unreachable(port), options, &error);
  CHECK(seconds < 2.0);
  CHECK(error.ToString() ==
        "host gone: connect to 127.0.0.1:" + std::to_string(port) + ": timed out after 500ms");
}

}  // namespace
}  // namespace baton::transport
