#include "compose/discover.h"

#include <array>
#include <filesystem>
#include <span>
#include <utility>

#include "compose/dotenv.h"

namespace baton::compose {
namespace {

namespace fs = std::filesystem;

constexpr std::array<std::string_view, 4> kComposeFiles = {
    "compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"};
constexpr std::array<std::string_view, 4> kOverrideFiles = {
    "compose.override.yml", "compose.override.yaml", "docker-compose.override.yml",
    "docker-compose.override.yaml"};

std::string Absolute(std::string_view path, const fs::path& base) {
  fs::path p(path);
  if (p.is_relative()) p = base / p;
  std::string out = p.lexically_normal().string();
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

std::string Get(const Environment& env, const std::string& name) {
  auto it = env.find(name);
  return it == env.end() ? "" : it->second;
}

// Splits on `separator`, dropping empty and blank items.
std::vector<std::string> Split(std::string_view text, std::string_view separator) {
  std::vector<std::string> out;
  while (true) {
    size_t at = separator.empty() ? std::string_view::npos : text.find(separator);
    std::string_view item = text.substr(0, at);
    size_t first = item.find_first_not_of(" \t");
    if (first != std::string_view::npos)
      out.emplace_back(item.substr(first, item.find_last_not_of(" \t") - first + 1));
    if (at == std::string_view::npos) return out;
    text.remove_prefix(at + separator.size());
  }
}

// Go's strconv.ParseBool, true side.
bool IsTrue(std::string_view text) {
  return text == "1" || text == "t" || text == "T" || text == "true" || text == "TRUE" ||
         text == "True";
}

// --env-file, else COMPOSE_ENV_FILES, made absolute; empty when neither is given.
std::vector<std::string> ExplicitEnvFiles(const LoadOptions& options) {
  std::vector<std::string> names = options.env_files;
  if (names.empty()) names = Split(Get(options.environment, "COMPOSE_ENV_FILES"), ",");
  std::vector<std::string> out;
  for (const std::string& name : names) out.push_back(Absolute(name, options.working_dir));
  return out;
}

// The env files read for project directory `dir`.
std::vector<std::string> EnvFilesFor(const LoadOptions& options, const std::string& dir,
                                     FileSystem& files) {
  std::vector<std::string> explicit_files = ExplicitEnvFiles(options);
  if (!explicit_files.empty()) return explicit_files;
  if (IsTrue(Get(options.environment, "COMPOSE_DISABLE_ENV_FILE"))) return {};
  std::string dot_env = (fs::path(dir) / ".env").string();
  if (files.IsFile(dot_env)) return {dot_env};
  return {};
}

// Adds the variables of `env_files` that `env` does not set yet; a later
// file wins over an earlier one, and references resolve against `env` first.
Status ReadEnvFiles(const std::vector<std::string>& env_files, const std::string& display_root,
                    Environment& env, FileSystem& files) {
  Environment from_files;
  Lookup lookup = [&](std::string_view name) -> std::optional<std::string> {
    for (const Environment* vars : {&env, &from_files}) {
      auto it = vars->find(std::string(name));
      if (it != vars->end()) return it->second;
    }
    return std::nullopt;
  };
  for (const std::string& path : env_files) {
    if (!files.IsFile(path)) return Error::NotFound(path, "env file not found");
    auto text = files.Read(path);
    if (!text.ok()) return std::move(text).error();
    auto vars = ParseDotEnv(*text, DisplayName(path, display_root), lookup);
    if (!vars.ok()) return std::move(vars).error();
    for (auto& [name, value] : *vars) from_files[name] = std::move(value);
  }
  env.insert(from_files.begin(), from_files.end());
  return Status::Ok();
}

std::string FirstExisting(const fs::path& dir, std::span<const std::string_view> names,
                          FileSystem& files) {
  for (std::string_view name : names) {
    fs::path candidate = dir / name;
    if (files.IsFile(candidate)) return candidate.string();
  }
  return "";
}

// compose.yaml (or another default name) in `start` or the nearest parent,
// with its override file.
Result<std::vector<std::string>> SearchDefaultFiles(const fs::path& start, FileSystem& files) {
  for (fs::path dir = start;; dir = dir.parent_path()) {
    std::string found = FirstExisting(dir, kComposeFiles, files);
    if (!found.empty()) {
      std::vector<std::string> out{found};
      std::string override_file = FirstExisting(dir, kOverrideFiles, files);
      if (!override_file.empty()) out.push_back(override_file);
      return out;
    }
    if (dir == dir.parent_path()) break;
  }
  return Error::NotFound(start.string(),
                         "no compose file (compose.yaml, compose.yml, docker-compose.yml, "
                         "docker-compose.yaml) here or in any parent directory");
}

Result<std::vector<std::string>> ComposeFiles(const LoadOptions& options, const Environment& env,
                                              const std::string& search_from, FileSystem& files) {
  std::vector<std::string> out;
  for (const std::string& file : options.files) {
    if (file == "-")
      return Error::Invalid("-f -", "reading a compose file from standard input is not supported");
    out.push_back(Absolute(file, options.working_dir));
  }
  if (!out.empty()) return out;
  auto compose_file = env.find("COMPOSE_FILE");
  if (compose_file == env.end()) return SearchDefaultFiles(search_from, files);
  std::string separator = Get(env, "COMPOSE_PATH_SEPARATOR");
  for (const std::string& file : Split(compose_file->second, separator.empty() ? ":" : separator)) {
    out.push_back(Absolute(file, options.working_dir));
    if (!files.IsFile(out.back()))
      return Error::NotFound("COMPOSE_FILE", "no such file: " + out.back());
  }
  if (out.empty()) return Error::NotFound("COMPOSE_FILE", "names no file");
  return out;
}

// Where .env is looked for before the files are known.
std::string FirstGuessDirectory(const LoadOptions& options, const std::string& project_dir) {
  if (!project_dir.empty()) return project_dir;
  for (const std::string& file : options.files)
    if (file != "-") return fs::path(Absolute(file, options.working_dir)).parent_path().string();
  return Absolute(options.working_dir.string(), "/");
}

}  // namespace

Result<DiscoveredProject> DiscoverProject(const LoadOptions& options, FileSystem& files) {
  const std::string working_dir = Absolute(options.working_dir.string(), "/");
  const std::string explicit_dir =
      options.project_directory.empty() ? "" : Absolute(options.project_directory, working_dir);
  DiscoveredProject out;
  out.environment = options.environment;
  out.environment.emplace("PWD", working_dir);  // compose sets PWD when the shell did not

  const std::string first_dir = FirstGuessDirectory(options, explicit_dir);
  if (auto s =
          ReadEnvFiles(EnvFilesFor(options, first_dir, files), working_dir, out.environment, files);
      !s.ok())
    return s.error();

  auto found = ComposeFiles(options, out.environment,
                            explicit_dir.empty() ? working_dir : explicit_dir, files);
  if (!found.ok()) return std::move(found).error();
  out.files = std::move(*found);
  out.project_dir =
      explicit_dir.empty() ? fs::path(out.files.front()).parent_path().string() : explicit_dir;
  if (out.project_dir != first_dir && ExplicitEnvFiles(options).empty()) {
    if (auto s = ReadEnvFiles(EnvFilesFor(options, out.project_dir, files), working_dir,
                              out.environment, files);
        !s.ok())
      return s.error();
  }

  out.profiles = options.profiles;
  if (out.profiles.empty()) out.profiles = Split(Get(out.environment, "COMPOSE_PROFILES"), ",");
  return out;
}

std::string NormalizeProjectName(std::string_view name) {
  std::string out;
  for (char c : name) {
    char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    bool allowed = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') ||
                   lower == '_' || lower == '-';
    if (allowed) out += lower;
  }
  size_t start = out.find_first_not_of("_-");
  return start == std::string::npos ? "" : out.substr(start);
}

}  // namespace baton::compose
