#pragma once
// One ReadProjectContent pass, shared by its parts (build contexts, copies,
// secrets): the project, the variables, where results and findings go, and
// how paths and keys are named in errors and notes.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "compose/model.h"
#include "runtime/content/project_content.h"
#include "runtime/content/tree.h"

namespace baton::content {

struct ContentPass {
  const compose::Project& project;
  const ContentOptions& options;
  ProjectContent& out;
  // Secret fingerprints by key, made once per key however many services use
  // it; nullopt when the secret could not be read (its error is listed once).
  std::map<std::string, std::optional<std::string>> fingerprints;
  // Each config's content as an entry named "config", read once per key;
  // nullopt when it could not be read.
  std::map<std::string, std::optional<TreeEntry>> configs;

  // `path` as plans show it: "./web" under the project folder, "." for the
  // folder itself, else unchanged ("/var/run/docker.sock").
  std::string Display(const std::string& path) const;
  // True when `path` (absolute, clean) is the project folder or lies in it.
  bool InProject(const std::string& path) const;

  // "compose.yaml:7:5: services.web.volumes[1]": `key` is a path below the
  // service ("build", "volumes[1]", "build.secrets"); the mark is the
  // nearest one the loader kept for `mark_key` (default: `key`).
  static std::string ServiceWhere(const compose::Service& service, const std::string& key,
                                  const std::string& mark_key = "");
  // "services.web.volumes[1]", for notes (which carry no file position).
  static std::string ServicePath(const compose::Service& service, const std::string& key);
  // "compose.yaml:30:3: secrets.api-key.environment" for a top-level secret
  // or config (`kind` "secrets" or "configs").
  static std::string ObjectWhere(const compose::FileObject& object, const std::string& kind,
                                 const std::string& key, const std::string& field);

  void Fail(const std::string& where, const std::string& message);
  void Note(const std::string& where, const std::string& message);
};

// "2.3 MiB", "512 B": one decimal from KiB on.
std::string SizeText(uint64_t bytes);

// Owner and mode of a secret or config file in the container.
struct FileOwnership {
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint32_t mode = 0444;
};

// The uid, gid (decimal, "" is 0) and mode (default 0444) of a service's
// secret or config reference; nullopt after listing a located error at
// `where` for a uid or gid that is not a 32-bit decimal number.
std::optional<FileOwnership> ReadOwnership(ContentPass& pass, const std::string& where,
                                           const compose::FileReference& ref);

}  // namespace baton::content
