#pragma once
// Taking a lab host's engine away and bringing the lab back, for the tests
// of host failures (host_failures_lab_test.cc, networking_lab_test.cc).

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "lab_fixture.h"

namespace baton::lab_test {

// Rebuilds the lab (`lab up` cleans up what is left of the old one first),
// at the latest when the test ends, also when it fails half-way.
class LabRestorer {
 public:
  explicit LabRestorer(const Lab& lab) : lab_(lab) {}
  ~LabRestorer() {
    if (!restored_) (void)Restore();
  }
  // The exit code of `baton lab up`. Uses no Catch2 assertion, so it is safe in the destructor.
  int Restore() {
    restored_ = true;
    std::string hosts = std::to_string(lab_.hosts.size());
    std::string dir = lab_.dir.string();
    pid_t pid = ::fork();
    if (pid < 0) return -1;
    if (pid == 0) {
      int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, STDOUT_FILENO);
      ::execl(lab_.binary.c_str(), lab_.binary.c_str(), "lab", "up", hosts.c_str(), "--dir",
              dir.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  }

 private:
  const Lab& lab_;
  bool restored_ = false;
};

inline std::string ReadFileText(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text;
}

// True once `pid` has exited (gone, or a zombie nobody reaped yet).
inline bool Exited(pid_t pid) {
  std::string stat = ReadFileText("/proc/" + std::to_string(pid) + "/stat");
  size_t paren = stat.rfind(')');
  return paren == std::string::npos || stat.compare(paren, 3, ") Z") == 0;
}

// Stops `host`'s dockerd with SIGTERM and waits until it has exited.
inline void StopDockerd(const Lab& lab, const std::string& host) {
  std::filesystem::path pid_file = lab.dir / "hosts" / host / "run" / "docker.pid";
  pid_t pid = static_cast<pid_t>(std::stol("0" + ReadFileText(pid_file)));
  INFO(pid_file);
  REQUIRE(pid > 0);
  REQUIRE(::kill(pid, SIGTERM) == 0);
  for (int i = 0; i < 300 && !Exited(pid); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  REQUIRE(Exited(pid));
}

}  // namespace baton::lab_test
