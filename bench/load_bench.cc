// Loading a large project: a generated 1,000-service compose file using
// anchors, `<<` merges and interpolation, plus an override file (two -f
// files). Target (issue #2): under 50 ms in a release build.
//
// Usage: load_bench [services=1000] [runs=20]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "compose/load.h"

namespace {

namespace fs = std::filesystem;

std::string BaseFile(int services) {
  std::string out =
      "x-common: &common\n"
      "  restart: unless-stopped\n"
      "  environment:\n"
      "    LOG_LEVEL: ${LOG_LEVEL:-info}\n"
      "    REGION: ${REGION}\n"
      "  labels:\n"
      "    team: platform\n"
      "  healthcheck:\n"
      "    test: [\"CMD\", \"true\"]\n"
      "    interval: 10s\n"
      "services:\n";
  for (int i = 0; i < services; ++i) {
    std::string n = std::to_string(i);
    out += "  svc" + n + ":\n"
           "    <<: *common\n"
           "    image: registry.local/app" + n + ":${TAG:-latest}\n"
           "    command: [\"serve\", \"--port\", \"80\"]\n"
           "    ports: [\"" + std::to_string(10000 + i) + ":80\"]\n"
           "    volumes: [\"data" + n + ":/data\", \"./conf:/etc/app:ro\"]\n"
           "    deploy:\n"
           "      replicas: 2\n"
           "      resources: {limits: {cpus: '0.5', memory: 256M}}\n";
  }
  out += "volumes:\n";
  for (int i = 0; i < services; ++i) out += "  data" + std::to_string(i) + ":\n";
  return out;
}

std::string OverrideFile(int services) {
  std::string out = "services:\n";
  for (int i = 0; i < services; i += 2)
    out += "  svc" + std::to_string(i) + ":\n    environment:\n      EXTRA: \"${REGION}-x\"\n";
  return out;
}

void Write(const fs::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

}  // namespace

int main(int argc, char** argv) {
  const int services = argc > 1 ? std::atoi(argv[1]) : 1000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 20;
  const fs::path dir = fs::temp_directory_path() / ("baton-load-bench-" + std::to_string(getpid()));
  fs::create_directories(dir);
  Write(dir / "compose.yaml", BaseFile(services));
  Write(dir / "compose.override.yaml", OverrideFile(services));

  baton::compose::LoadOptions opt;
  opt.files = {(dir / "compose.yaml").string(), (dir / "compose.override.yaml").string()};
  opt.working_dir = dir;
  opt.environment = {{"REGION", "eu"}, {"TAG", "1.2.3"}, {"HOME", "/root"}};
  baton::RealFileSystem files;

  std::vector<double> ms;
  for (int r = 0; r < runs; ++r) {
    auto start = std::chrono::steady_clock::now();
    auto project = baton::compose::Load(opt, files);
    auto end = std::chrono::steady_clock::now();
    if (!project.ok()) {
      std::fprintf(stderr, "load failed: %s\n", project.error().ToString().c_str());
      fs::remove_all(dir);
      return 1;
    }
    if (project->services.size() != static_cast<size_t>(services)) {
      std::fprintf(stderr, "loaded %zu services, want %d\n", project->services.size(), services);
      fs::remove_all(dir);
      return 1;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
  }
  fs::remove_all(dir);
  std::sort(ms.begin(), ms.end());
  std::printf("load %d services (2 files, anchors, merges, interpolation): median %.1f ms, "
              "min %.1f ms, max %.1f ms over %d runs\n",
              services, ms[ms.size() / 2], ms.front(), ms.back(), runs);
  return 0;
}
