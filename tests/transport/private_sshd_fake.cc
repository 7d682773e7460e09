#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "private_sshd.h"

namespace baton::transport::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string CurrentUser() {
  const passwd* pw = ::getpwuid(::getuid());
  return pw != nullptr ? pw->pw_name : "root";
}

bool TcpAccepts(int port) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return ::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
}

// Every descendant of `root`, read from /proc.
std::vector<pid_t> Descendants(pid_t root) {
  std::vector<pid_t> found{root};
  for (size_t i = 0; i < found.size(); ++i) {
    for (const auto& entry : fs::directory_iterator("/proc")) {
      std::string stat = ReadWholeFile(entry.path() / "stat");
      size_t close = stat.rfind(')');
      if (close == std::string::npos) continue;
      std::istringstream rest(stat.substr(close + 2));
      char state;
      pid_t ppid = 0;
      rest >> state >> ppid;
      if (ppid == found[i]) found.push_back(std::stoi(entry.path().filename().string()));
    }
  }
  found.erase(found.begin());
  return found;
}

std::string SshdConfig(const fs::path& dir, int port) {
  return "Port " + std::to_string(port) +
         "\nListenAddress 127.0.0.1\n"
         "HostKey " +
         (dir / "host_key").string() +
         "\nPidFile none\n"
         "AuthorizedKeysFile " +
         (dir / "authorized_keys").string() +
         "\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n"
         "KbdInteractiveAuthentication no\nPubkeyAuthentication yes\n"
         "PermitRootLogin prohibit-password\nAllowStreamLocalForwarding yes\n"
         "AllowTcpForwarding local\nX11Forwarding no\nPrintMotd no\nLogLevel ERROR\n";
}

}  // namespace

TempDir::TempDir(const std::string& prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/" + prefix + "-XXXXXX";
  REQUIRE(::mkdtemp(pattern.data()) != nullptr);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

int RunProgram(const std::vector<std::string>& argv, std::string* out) {
  int pipe_fds[2];
  REQUIRE(::pipe2(pipe_fds, O_CLOEXEC) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, STDERR_FILENO);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  UniqueFd read_end(pipe_fds[0]);
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(read_end.get(), buffer, sizeof buffer)) > 0)
    if (out != nullptr) out->append(buffer, static_cast<size_t>(n));
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int UnusedLoopbackPort() {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t length = sizeof addr;
  REQUIRE(::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &length) == 0);
  return ntohs(addr.sin_port);
}

void GenerateKey(const fs::path& file) {
  REQUIRE(RunProgram({"/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "baton-test",
                      "-f", file.string()}) == 0);
}

std::string KeyFingerprint(const fs::path& public_key) {
  std::string out;
  REQUIRE(RunProgram({"/usr/bin/ssh-keygen", "-l", "-E", "sha256", "-f", public_key.string()},
                     &out) == 0);
  std::istringstream fields(out);  // "256 SHA256:... comment (ED25519)"
  std::string bits, hash;
  fields >> bits >> hash;
  return "ssh-ed25519 " + hash;
}

std::string ReadWholeFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteWholeFile(const fs::path& file, const std::string& text) {
  std::ofstream(file, std::ios::binary) << text;
}

PrivateSshd::PrivateSshd() {
  REQUIRE(::geteuid() == 0);  // sshd's privilege separation needs root
  REQUIRE(fs::exists("/usr/sbin/sshd"));
  ::mkdir("/run/sshd", 0755);  // sshd's privilege separation directory
  GenerateKey(dir() / "host_key");
  GenerateKey(client_key());
  fs::copy_file(dir() / "client_key.pub", dir() / "authorized_keys");
  WriteWholeFile(ssh_config(), "");
  port_ = UnusedLoopbackPort();
  WriteWholeFile(dir() / "sshd_config", SshdConfig(dir(), port_));
  pid_ = ::fork();
  REQUIRE(pid_ >= 0);
  if (pid_ == 0) {
    int log = ::open((dir() / "sshd.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(log, STDERR_FILENO);
    std::string config = (dir() / "sshd_config").string();
    ::execl("/usr/sbin/sshd", "/usr/sbin/sshd", "-D", "-e", "-f", config.c_str(), nullptr);
    ::_exit(127);
  }
  Clock::time_point deadline = Clock::now() + std::chrono::seconds(10);
  while (!TcpAccepts(port_) && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  INFO("sshd log: " << ReadWholeFile(dir() / "sshd.log"));
  REQUIRE(TcpAccepts(port_));
}

PrivateSshd::~PrivateSshd() {
  if (pid_ <= 0) return;
  DropConnections();
  ::kill(pid_, SIGTERM);
  ::waitpid(pid_, nullptr, 0);
}

void PrivateSshd::TrustHostKey() const {
  std::string key = ReadWholeFile(host_public_key());
  WriteWholeFile(known_hosts(), "[127.0.0.1]:" + std::to_string(port_) + " " + key);
}

void PrivateSshd::TrustWrongHostKey() const {
  GenerateKey(dir() / "other_key");
  std::string key = ReadWholeFile(dir() / "other_key.pub");
  WriteWholeFile(known_hosts(), "[127.0.0.1]:" + std::to_string(port_) + " " + key);
}

HostConfig PrivateSshd::Host(const std::string& name) const {
  HostConfig host;
  host.name = name;
  host.ssh = SshAddress{CurrentUser(), "127.0.0.1", port_};
  host.identity_file = client_key();
  host.known_hosts_file = known_hosts();
  return host;
}

void PrivateSshd::DropConnections() const {
  for (pid_t pid : Descendants(pid_)) ::kill(pid, SIGKILL);
}

DroppedPort::DroppedPort(int port) : port_(port) { REQUIRE(RunProgram(Rule("-I")) == 0); }

DroppedPort::~DroppedPort() { RunProgram(Rule("-D")); }

std::vector<std::string> DroppedPort::Rule(const std::string& action) const {
  return {"/usr/sbin/iptables",
          "-w",
          action,
          "INPUT",
          "-p",
          "tcp",
          "-d",
          "127.0.0.1",
          "--dport",
          std::to_string(port_),
          "-m",
          "comment",
          "--comment",
          "baton-transport-test",
          "-j",
          "DROP"};
}

EchoServer::EchoServer(fs::path socket) : socket_(std::move(socket)) {
  listener_.Reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket_.c_str(), sizeof addr.sun_path - 1);
  REQUIRE(::bind(listener_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(listener_.get(), 16) == 0);
  wake_.Reset(::eventfd(0, EFD_CLOEXEC));
  thread_ = std::thread([this] { Serve(); });
}

EchoServer::~EchoServer() {
  uint64_t one = 1;
  (void)!::write(wake_.get(), &one, sizeof one);
  thread_.join();
  ::unlink(socket_.c_str());
}

void EchoServer::Serve() {
  std::vector<UniqueFd> clients;
  for (;;) {
    std::vector<pollfd> fds{{wake_.get(), POLLIN, 0}, {listener_.get(), POLLIN, 0}};
    for (const UniqueFd& c : clients) fds.push_back({c.get(), POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) continue;
    if (fds[0].revents != 0) return;
    if (fds[1].revents != 0) {
      clients.emplace_back(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
      ++connections_;
    }
    for (size_t i = 2; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      char buffer[65536];
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      std::string_view data(buffer, n > 0 ? static_cast<size_t>(n) : 0);
      // MSG_NOSIGNAL: a peer that has gone must not kill the test with SIGPIPE.
      if (n > 0) (void)!::send(fds[i].fd, buffer, static_cast<size_t>(n), MSG_NOSIGNAL);
      if (n <= 0 || data.find("bye\n") != std::string_view::npos) clients[i - 2].Reset();
    }
    std::erase_if(clients, [](const UniqueFd& c) { return !c; });
  }
}

UniqueFd ConnectUnix(const fs::path& socket) {
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket.c_str(), sizeof addr.sun_path - 1);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return UniqueFd();
  return fd;
}

std::string Exchange(int fd, const std::string& text, size_t want) {
  // Sends and receives together: a large echo would otherwise fill both
  // directions' buffers and stall.
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  size_t sent = 0;
  std::string got;
  Clock::time_point deadline = Clock::now() + std::chrono::seconds(5);
  while (got.size() < want && Clock::now() < deadline) {
    pollfd p{fd, static_cast<short>(POLLIN | (sent < text.size() ? POLLOUT : 0)), 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    if ((p.revents & POLLOUT) != 0) {
      ssize_t n = ::send(fd, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
      if (n > 0) sent += static_cast<size_t>(n);
    }
    if ((p.revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      char buffer[65536];
      ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n == 0 || (n < 0 && errno != EAGAIN)) break;
      if (n > 0) got.append(buffer, static_cast<size_t>(n));
    }
  }
  return got;
}

}  // namespace baton::transport::testing
