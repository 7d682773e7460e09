// Copies of project files (runtime/file_copy.h) on a real engine: lab1's
// dockerd, named by BATON_TEST_DOCKER_SOCKET. A file is uploaded into a copy
// through the never-started helper, read back by a busybox container that
// binds the copy's path, and the copy is removed. Without the socket the
// case warns and checks nothing. Names start with "h4-" and the pid, and
// everything made is removed on every way out.

#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "base/sha256.h"
#include "base/tar_writer.h"
#include "runtime/docker_client.h"
#include "lab_fixture.h"
#include "runtime/file_copy.h"

namespace baton::runtime {
namespace {

using lab_test::LabDocker;

// A tar held in memory, read in pieces; Verify() always agrees.
class StringTar : public TarSource {
 public:
  explicit StringTar(std::string data) : data_(std::move(data)) {}
  Result<size_t> Read(std::span<char> buffer) override {
    size_t n = std::min(buffer.size(), data_.size() - offset_);
    std::copy_n(data_.data() + offset_, n, buffer.data());
    offset_ += n;
    return n;
  }
  Status Verify() const override { return Status::Ok(); }
  uint64_t size() const override { return data_.size(); }

 private:
  std::string data_;
  size_t offset_ = 0;
};

// Removes the reader and the copy however the test ends.
struct Cleanup {
  DockerClient& docker;
  std::string project, digest, reader;
  ~Cleanup() {
    (void)docker.RemoveContainer(reader, {.force = true, .volumes = false});
    (void)RemoveFileCopy(docker, project, digest);
  }
};

template <typename T>
bool Gone(const Result<T>& r) {
  return !r.ok() && r.error().kind == Error::Kind::kNotFound;
}

// Runs `cat FILE` in busybox with `source` bound read-only at FILE and
// returns what it printed.
std::string CatThroughBind(DockerClient& docker, const std::string& name,
                           const std::string& source) {
  ContainerSpec spec;
  spec.name = name;
  spec.image = "baton/busybox:lab";
  spec.cmd = std::vector<std::string>{"cat", "/etc/h4/app.conf"};
  spec.host_config.binds = {source + ":/etc/h4/app.conf:ro"};
  REQUIRE(docker.CreateContainer(spec).ok());
  REQUIRE(docker.StartContainer(name).ok());
  Result<std::int64_t> code = docker.WaitContainer(name, std::chrono::seconds(20));
  REQUIRE(code.ok());
  CHECK(*code == 0);
  Result<CapturedOutput> logs = docker.ReadLogs(name);
  REQUIRE(logs.ok());
  return logs->out;
}

TEST_CASE("file copy lab: an uploaded file is read back through a bind of its copy",
          "[lab][file-copy]") {
  auto docker = LabDocker();
  if (!docker) return;
  std::string project = "h4-fc-" + std::to_string(::getpid());
  std::string digest = Sha256Hex(project);
  Cleanup cleanup{*docker, project, digest, project + "-reader"};
  TarWriter writer;
  REQUIRE(writer.AddFile("app.conf", "listen 8080\n", 0444).ok());
  StringTar tar(writer.Finish());
  uint64_t reported = 0;
  REQUIRE(
      UploadFileCopy(*docker, project, digest, tar, [&](uint64_t n) { reported = n; }, {}).ok());
  CHECK(reported == tar.size());
  CHECK(Gone(docker->InspectContainer("baton-upload-" + project + "-" + digest.substr(0, 16))));
  Result<std::string> path = FileCopyPath(*docker, project, digest, "app.conf");
  REQUIRE(path.ok());
  CHECK(CatThroughBind(*docker, cleanup.reader, *path) == "listen 8080\n");
  REQUIRE(docker->RemoveContainer(cleanup.reader, {.force = true, .volumes = false}).ok());
  REQUIRE(RemoveFileCopy(*docker, project, digest).ok());
  std::string volume = FileCopyVolume(project, digest);
  for (const std::string& name : {volume, volume + ".ok"}) CHECK(Gone(docker->InspectVolume(name)));
}

}  // namespace
}  // namespace baton::runtime
