#pragma once
// A service's `build:` as baton runs it: the classic builder over POST
// /build, fed a tar of the context folder filtered by its .dockerignore (or
// a git/http URL the engine fetches itself), and the build digest K that
// names the image tag T, so "T is on the host" means "this exact build".

#include <optional>
#include <string>

#include "compose/model.h"
#include "planner/desired_state.h"
#include "runtime/docker_images.h"

namespace baton::content {

struct ContentPass;

// Reads the build of `service` (which has one) into pass.out.builds[name]:
// the context tree (with a generated `.baton-dockerfile-<sha12>` entry for
// dockerfile_inline or a Dockerfile outside the context), the request and
// the tree digest. Lists every problem as a located error on pass.out and
// returns nullopt then: a missing context or Dockerfile, an unreadable
// .dockerignore, and what the classic builder cannot do (build secrets, ssh,
// cache_to, additional_contexts, several platforms).
std::optional<planner::BuildUse> ReadBuild(ContentPass& pass, const compose::Service& service);

// K: hex SHA-256 of "baton-build-v1\n" + `tree_digest` + "\n" + the
// request's options as compact JSON with sorted keys. `tree_digest` is ""
// for a remote context (its URL is among the options).
std::string BuildDigest(const std::string& tree_digest, const runtime::BuildRequest& request);

// T: the repository of `image` (its tag and digest dropped; a registry port
// stays: "reg:5000/app:v2" -> "reg:5000/app") + ":baton-" + digest[:12].
std::string DigestTag(const std::string& image, const std::string& digest);

}  // namespace baton::content
