#pragma once
// Images as baton reads them, and the progress of a pull.

#include <cstdint>
#include <map>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace baton::runtime {

// GET /images/{name}/json.
struct ImageInfo {
  std::string id;  // "sha256:..."
  std::vector<std::string> repo_tags;
  std::vector<std::string> repo_digests;
  std::string created;  // RFC 3339
  std::string os;
  std::string architecture;
  std::int64_t size_bytes = 0;
  std::map<std::string, std::string> labels;
  nlohmann::json raw;
};

// One progress message of POST /images/create.
struct PullProgress {
  std::string status;        // "Pulling fs layer", "Downloading", "Pull complete", ...
  std::string id;            // the layer, when the message is about one
  std::int64_t current = 0;  // bytes done, when known
  std::int64_t total = 0;    // bytes in all, when known
  nlohmann::json raw;
};

// What POST /build asks of the engine (query parameters, see
// docker_build.cc). The context tar's Dockerfile is at `dockerfile`.
struct BuildRequest {
  std::string dockerfile = "Dockerfile";  // path inside the context tar
  std::map<std::string, std::string> args;    // buildargs: only the ones set
  std::map<std::string, std::string> labels;  // the user's, plus baton.build-*
  std::string target;
  std::string network;  // networkmode
  std::string remote;   // a git or https context: no body is sent
  std::vector<std::string> extra_hosts;  // "name:ip"
  std::vector<std::string> cache_from;
  std::optional<int64_t> shm_size;  // bytes
  bool no_cache = false;
  bool pull = false;
};

// One message of the POST /build output stream.
struct BuildMessage {
  std::string stream;  // build output; pieces are not whole lines
  std::string status;  // pull progress of a FROM image
  std::string id;      // the layer a status is about
  std::string aux_id;  // aux.ID: the built image's id
  nlohmann::json raw;
};

// Splits an image reference for POST /images/create: {"busybox", "latest"}
// for "busybox", {"reg:5000/app", "v2"} for "reg:5000/app:v2", and the whole
// reference with an empty tag when it names a digest ("app@sha256:...").
// Docker would pull every tag if asked for a bare name, hence "latest".
struct ImageReference {
  std::string name;
  std::string tag;
};
ImageReference SplitImageReference(const std::string& reference);

}  // namespace baton::runtime
