#pragma once
// Everything a project reads from the local disk besides its compose files:
// build contexts, project files of bind mounts, configs and secrets. One
// pass over the project's services gives the planner their digests
// (planner::ContentDigests) and keeps what `up` needs to send them.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "compose/load.h"
#include "compose/model.h"
#include "planner/desired_state.h"
#include "runtime/content/tree.h"
#include "runtime/content_source.h"
#include "runtime/docker_images.h"

namespace baton::content {

struct ContentOptions {
  // The variables compose files were interpolated with (DiscoverProject's
  // environment): secrets and configs with an `environment:` source read them.
  compose::Environment environment;
};

struct BuildContext {
  Tree tree;                      // filtered, with a generated Dockerfile when needed
  std::string digest;             // TreeDigest(tree, kRoot), before the options
  runtime::BuildRequest request;  // without baton's labels
};

// A secret's value, in memory only; cleared when destroyed.
class SecretValue {
 public:
  explicit SecretValue(std::string value) : value_(std::move(value)) {}
  SecretValue(const SecretValue&) = delete;
  SecretValue& operator=(const SecretValue&) = delete;
  SecretValue(SecretValue&&) = default;
  SecretValue& operator=(SecretValue&&) = default;
  ~SecretValue();
  const std::string& value() const { return value_; }

 private:
  std::string value_;
};

struct ProjectContent {
  planner::ContentDigests digests;               // by service
  std::map<std::string, Tree> copies;            // by copy digest D
  std::map<std::string, BuildContext> builds;    // by service
  std::map<std::string, SecretValue> secrets;    // by secret key
  // Located: "compose.yaml:12:5: services.web.build: build context ./web does
  // not exist". They become Plan::errors: plan exits 1, up changes nothing.
  std::vector<std::string> errors;
  // "services.traefik.volumes[0]: /var/run/docker.sock is a path on each host
  // that runs traefik"; writable project binds; skipped special files.
  std::vector<std::string> notes;
};

// Never fails as a whole: what is missing or unreadable goes into `errors`,
// all at once. Services with nothing local get no entry in `digests`.
ProjectContent ReadProjectContent(const compose::Project& project, const ContentOptions& options);

// A slow salted fingerprint of a secret's value (PBKDF2 over the project and
// key), for the spec hash: it changes with the value, and cannot be turned
// back into it by guessing short values quickly.
std::string SecretFingerprint(std::string_view project, std::string_view key,
                              std::string_view value);

// runtime::ContentSource over a ProjectContent (which must outlive it).
std::unique_ptr<runtime::ContentSource> MakeContentSource(const ProjectContent& content);

}  // namespace baton::content
