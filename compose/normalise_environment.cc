// ResolveEnvironment: env_file and label_file contents merged under a
// service's own `environment` and `labels`, as compose-go's
// WithServices{Environment,Labels}Resolved do.

#include <string_view>

#include "compose/dotenv.h"
#include "compose/normalise_parts.h"

namespace baton::compose {
namespace {

using normalise::ServicePath;

// The position of `<key>[i]` as the service wrote it.
std::string WhereItem(const Service& service, const std::string& key, size_t index) {
  std::string item = key + "[" + std::to_string(index) + "]";
  auto mark = service.marks.find(item);
  if (mark == service.marks.end()) mark = service.marks.find(key);
  const Mark& at = mark != service.marks.end() ? mark->second : service.mark;
  return Where(at, ServicePath(service.name).Key(key).Index(index));
}

// `format: raw`: KEY=VALUE lines taken as written, with no quoting, escapes
// or references; blank lines and # comments are skipped.
EnvEntries ParseRawEnv(std::string_view text, const Lookup& lookup) {
  EnvEntries entries;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    size_t eq = line.find('=');
    std::string key(line.substr(0, eq));
    std::optional<std::string> value;
    if (eq != std::string_view::npos) value = std::string(line.substr(eq + 1));
    else if (lookup) value = lookup(key);
    if (value) entries.emplace_back(std::move(key), std::move(*value));
  }
  return entries;
}

// Reads one env or label file. A missing file gives nullopt, for the caller
// to decide whether that is an error.
Result<std::optional<std::string>> ReadOptionalFile(const std::string& path, FileSystem& files) {
  Result<std::string> text = files.Read(path);
  if (text.ok()) return std::optional<std::string>(std::move(*text));
  if (text.error().kind == Error::Kind::kNotFound) return std::optional<std::string>();
  return std::move(text).error();
}

// Values of environment files read so far, then the process environment,
// then the service's own values answer references in a file, as in compose.
Lookup EnvFileLookup(const NormaliseOptions& options, const Service& service,
                     const StringMap& from_files) {
  return [&options, &service, &from_files](std::string_view name) -> std::optional<std::string> {
    std::string key(name);
    if (options.lookup) {
      if (std::optional<std::string> value = options.lookup(name)) return value;
    }
    auto own = service.environment.find(key);
    if (own != service.environment.end() && own->second) return own->second;
    auto earlier = from_files.find(key);
    if (earlier != from_files.end()) return earlier->second;
    return std::nullopt;
  };
}

Status MergeEnvFile(const Service& service, size_t index, const NormaliseOptions& options,
                    FileSystem& files, StringMap& from_files) {
  const EnvFile& env_file = service.env_files[index];
  if (!env_file.format.empty() && env_file.format != "raw")
    return Error::Invalid(WhereItem(service, "env_file", index),
                          "unsupported env_file format \"" + env_file.format + "\"");
  Result<std::optional<std::string>> text = ReadOptionalFile(env_file.path, files);
  if (!text.ok()) return std::move(text).error();
  if (!*text) {
    if (!env_file.required) return Status::Ok();
    return Error::NotFound(WhereItem(service, "env_file", index),
                           "env file " + env_file.path + " not found");
  }
  Lookup lookup = EnvFileLookup(options, service, from_files);
  Result<EnvEntries> entries = env_file.format == "raw"
                                   ? Result<EnvEntries>(ParseRawEnv(**text, lookup))
                                   : ParseDotEnv(**text, env_file.path, lookup);
  if (!entries.ok()) return std::move(entries).error();
  for (auto& [key, value] : *entries) from_files[key] = std::move(value);
  return Status::Ok();
}

Status ResolveServiceEnvironment(Service& service, const NormaliseOptions& options,
                                 FileSystem& files) {
  // `KEY` alone takes its value from the environment, or stays unset.
  for (auto& [key, value] : service.environment) {
    if (!value && options.lookup) value = options.lookup(key);
  }
  StringMap from_files;
  for (size_t i = 0; i < service.env_files.size(); ++i) {
    if (Status s = MergeEnvFile(service, i, options, files, from_files); !s.ok()) return s;
  }
  // The service's own values, unset ones included, win over the files.
  OptionalStringMap merged(from_files.begin(), from_files.end());
  for (auto& [key, value] : service.environment) merged[key] = std::move(value);
  service.environment = std::move(merged);
  return Status::Ok();
}

Status ResolveServiceLabels(Service& service, FileSystem& files) {
  StringMap from_files;
  // Label files see only the labels of the files read before them.
  Lookup lookup = [&from_files](std::string_view name) -> std::optional<std::string> {
    auto it = from_files.find(std::string(name));
    if (it == from_files.end()) return std::nullopt;
    return it->second;
  };
  for (size_t i = 0; i < service.label_files.size(); ++i) {
    const std::string& path = service.label_files[i];
    Result<std::optional<std::string>> text = ReadOptionalFile(path, files);
    if (!text.ok()) return std::move(text).error();
    if (!*text)
      return Error::NotFound(WhereItem(service, "label_file", i),
                             "label file " + path + " not found");
    Result<EnvEntries> entries = ParseDotEnv(**text, path, lookup);
    if (!entries.ok()) return std::move(entries).error();
    for (auto& [key, value] : *entries) from_files[key] = std::move(value);
  }
  for (auto& [key, value] : service.labels) from_files[key] = std::move(value);
  service.labels = std::move(from_files);
  return Status::Ok();
}

}  // namespace

Status ResolveEnvironment(Project& project, const NormaliseOptions& options, FileSystem& files) {
  for (auto& [name, service] : project.services) {
    if (Status s = ResolveServiceEnvironment(service, options, files); !s.ok()) return s;
    if (Status s = ResolveServiceLabels(service, files); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace baton::compose
