#pragma once
// Test fixtures for real SSH: a private OpenSSH server on 127.0.0.1 and a
// unix-socket echo server for it to forward to. Everything lives in a private
// temporary directory that is removed, and every process started is killed,
// when the fixture goes away. Needs root (sshd's privilege separation) and
// /usr/sbin/sshd; a test that cannot have them fails rather than passing.
//
// (The file is named *_fake.cc only so that tests/CMakeLists.txt's glob
// builds it into transport_tests.)

#include <sys/types.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "transport/host_config.h"
#include "base/unique_fd.h"

namespace baton::transport::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "baton-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Runs argv (no shell) and returns its exit status; stdout goes to `out`.
int RunProgram(const std::vector<std::string>& argv, std::string* out = nullptr);

// A TCP port on 127.0.0.1 that nothing listens on right now.
int UnusedLoopbackPort();

// Generates an ed25519 key pair at `file` (private) and `file`.pub.
void GenerateKey(const std::filesystem::path& file);

// "ssh-ed25519 SHA256:..." for a public key file, as ssh-keygen prints it.
std::string KeyFingerprint(const std::filesystem::path& public_key);

std::string ReadWholeFile(const std::filesystem::path& file);
void WriteWholeFile(const std::filesystem::path& file, const std::string& text);

class PrivateSshd {
 public:
  PrivateSshd();
  ~PrivateSshd();
  PrivateSshd(const PrivateSshd&) = delete;
  PrivateSshd& operator=(const PrivateSshd&) = delete;

  int port() const { return port_; }
  const std::filesystem::path& dir() const { return dir_.path(); }
  std::filesystem::path client_key() const { return dir() / "client_key"; }
  std::filesystem::path known_hosts() const { return dir() / "known_hosts"; }
  std::filesystem::path host_public_key() const { return dir() / "host_key.pub"; }
  // An empty ssh config: tests must not read the user's ~/.ssh/config.
  std::filesystem::path ssh_config() const { return dir() / "ssh_config"; }
  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }

  // Writes known_hosts with this server's real key.
  void TrustHostKey() const;
  // Writes known_hosts with some other key for this server's address.
  void TrustWrongHostKey() const;
  // A host reaching this server as the current user with client_key(),
  // checking keys against known_hosts().
  HostConfig Host(const std::string& name = "test1") const;
  // Kills the per-connection sshd processes: established sessions drop as
  // if the host had gone away, while the listener stays up.
  void DropConnections() const;

 private:
  TempDir dir_{"baton-sshd"};
  int port_ = 0;
  pid_t pid_ = -1;
};

// Makes the firewall drop every packet sent to a TCP port on 127.0.0.1, as
// for a host that has vanished; replies from that port still pass. The rule
// carries the comment "baton-transport-test" and is removed on destruction.
class DroppedPort {
 public:
  explicit DroppedPort(int port);
  ~DroppedPort();
  DroppedPort(const DroppedPort&) = delete;
  DroppedPort& operator=(const DroppedPort&) = delete;
  int port() const { return port_; }

 private:
  std::vector<std::string> Rule(const std::string& action) const;
  int port_;
};

// Serves a unix socket on its own thread: echoes every byte back, and on the
// line "bye\n" closes the connection.
class EchoServer {
 public:
  explicit EchoServer(std::filesystem::path socket);
  ~EchoServer();
  const std::filesystem::path& socket() const { return socket_; }
  int connections() const { return connections_; }

 private:
  void Serve();
  std::filesystem::path socket_;
  UniqueFd listener_;
  UniqueFd wake_;
  std::atomic<int> connections_{0};
  std::thread thread_;
};

// Connects to a unix socket; returns an invalid fd on failure.
UniqueFd ConnectUnix(const std::filesystem::path& socket);
// Writes all of `text`, then reads until `want` bytes or EOF (or 5 s pass).
std::string Exchange(int fd, const std::string& text, size_t want);

}  // namespace baton::transport::testing
