#include "transport/docker_contexts.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>
#include <tuple>

namespace baton::transport {
namespace {

// Reads one meta.json. The docker CLI writes
// {"Name": ..., "Metadata": ..., "Endpoints": {"docker": {"Host": ...}}}.
DockerContext ReadMeta(const std::filesystem::path& file) {
  DockerContext context;
  context.meta_file = file;
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    context.problem = "cannot be read";
    return context;
  }
  nlohmann::json meta = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!meta.is_object() || !meta.contains("Name") || !meta["Name"].is_string()) {
    context.problem = "is not a docker context (no \"Name\")";
    return context;
  }
  context.name = meta["Name"].get<std::string>();
  const nlohmann::json* host = nullptr;
  if (auto e = meta.find("Endpoints"); e != meta.end() && e->is_object())
    if (auto d = e->find("docker"); d != e->end() && d->is_object())
      if (auto h = d->find("Host"); h != d->end() && h->is_string()) host = &*h;
  if (host == nullptr) {
    context.problem = "has no docker endpoint";
    return context;
  }
  context.docker_host = host->get<std::string>();
  return context;
}

}  // namespace

std::filesystem::path DockerConfigDir(const char* docker_config_env, const char* home_env) {
  if (docker_config_env != nullptr && *docker_config_env != '\0') return docker_config_env;
  if (home_env != nullptr && *home_env != '\0') return std::filesystem::path(home_env) / ".docker";
  return {};
}

std::vector<DockerContext> ReadDockerContexts(const std::filesystem::path& config_dir) {
  std::vector<DockerContext> contexts;
  std::error_code ec;
  std::filesystem::directory_iterator it(config_dir / "contexts" / "meta", ec);
  if (ec) return contexts;
  for (const auto& entry : it) {
    std::filesystem::path meta = entry.path() / "meta.json";
    if (entry.is_directory(ec) && std::filesystem::is_regular_file(meta, ec))
      contexts.push_back(ReadMeta(meta));
  }
  std::sort(contexts.begin(), contexts.end(), [](const DockerContext& a, const DockerContext& b) {
    return std::tie(a.name, a.meta_file) < std::tie(b.name, b.meta_file);
  });
  return contexts;
}

}  // namespace baton::transport
