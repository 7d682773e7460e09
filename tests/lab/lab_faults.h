#pragma once
// Faults for the watcher's lab tests (issue 6): cutting a lab host off the
// lab bridge, and a `baton watch` child process whose log a test can read.
// Everything runs argv directly (never a shell), as root like the lab.
//
// CutLink takes the machine's side of the host's veth down: SSH, netd's peer
// traffic and DNS to that host all stop, while its dockerd and containers
// keep running. That is the hard case of a host failure: a partition, not a
// crash, so a host that returns still has its old replicas.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "cli/lab/lab_layout.h"
#include "lab_fixture.h"

namespace baton::lab_test {

// The machine's end of `host`'s link to the lab bridge ("batonlab-lab3").
inline std::string LabLink(const std::string& host) { return std::string(cli::lab::kLinkPrefix) + host; }

// Sets `host`'s link down or up; true when `ip` succeeded.
inline bool SetLabLink(const std::string& host, bool up) {
  ProgramRun run = RunProgram({"/usr/sbin/ip", "link", "set", LabLink(host), up ? "up" : "down"});
  return run.exit_code == 0;
}

// Cuts `host` off the lab for the guard's life; heals it when the test ends,
// also when it fails half-way, so the next test finds a whole lab.
class LinkCut {
 public:
  explicit LinkCut(std::string host) : host_(std::move(host)) {
    REQUIRE(SetLabLink(host_, /*up=*/false));
  }
  LinkCut(const LinkCut&) = delete;
  LinkCut& operator=(const LinkCut&) = delete;
  ~LinkCut() { Heal(); }
  void Heal() {
    if (!healed_) healed_ = SetLabLink(host_, /*up=*/true);
  }

 private:
  std::string host_;
  bool healed_ = false;
};

// A `baton watch` (or any baton command) running in the background, its
// stdout and stderr appended to a log file the test reads while it runs.
// SIGKILLed (and reaped) when the guard goes, unless stopped before.
class BatonChild {
 public:
  BatonChild(const Lab& lab, std::vector<std::string> args, std::filesystem::path log)
      : log_(std::move(log)) {
    args.insert(args.begin(), lab.binary);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      if (fd < 0) ::_exit(126);
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
      std::vector<char*> argv;
      for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  BatonChild(const BatonChild&) = delete;
  BatonChild& operator=(const BatonChild&) = delete;
  ~BatonChild() { (void)Stop(SIGKILL); }

  pid_t pid() const { return pid_; }

  // Sends `signal` and reaps the child; its exit code (128 + signal when
  // killed), or -1 when it was already stopped.
  int Stop(int signal = SIGTERM) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  // Everything the child wrote so far.
  std::string Log() const {
    std::ifstream in(log_);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }

 private:
  std::filesystem::path log_;
  pid_t pid_ = -1;
};

// Polls `done` every 100 ms until it holds or `limit` passes; true when it held.
inline bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (true) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace baton::lab_test
