#pragma once
// Shared by the plan tests of local content (issue 8): services that build
// their image and mount copies of project files, on three hosts.

#include <string>
#include <vector>

#include "tests/planner/plan_fixture.h"

namespace baton::planner::testing {

// "shop-web:baton-<k>": the digest tag of a build whose digest starts with `k`.
inline std::string Tag(const std::string& service, const std::string& k) {
  return "shop-" + service + ":baton-" + k;
}

// `spec` builds its image from ./<name>, with build digest `k`.
inline void Builds(ServiceSpec& spec, const std::string& k) {
  BuildUse build;
  build.digest = k + std::string(64 - k.size(), '0');
  build.image = "shop-" + spec.name;
  build.tag = Tag(spec.name, k);
  build.label = "./" + spec.name + ", 3 files, 1.0 KiB";
  spec.content.build = build;
  spec.service.image = build.tag;
}

// `spec` mounts the copy with digest `digest` at `target`.
inline void Copies(ServiceSpec& spec, const std::string& digest, const std::string& target,
                   bool config = false) {
  FileCopyUse copy;
  copy.digest = digest;
  copy.target = target;
  copy.config = config;
  copy.label = config ? "config " + digest : "./" + digest;
  spec.content.copies.push_back(copy);
}

inline Stack ThreeHosts(std::vector<ServiceSpec> services) {
  Stack s{Desired(std::move(services)), Actual({Host("lab1"), Host("lab2"), Host("lab3")})};
  s.desired.networks = {Network("default")};
  return s;
}

// web x3 (one per host) built from ./web, worker x1 (plain image) on three hosts.
inline Stack BuiltWeb() {
  ServiceSpec web = Service("web", 3);
  web.max_replicas_per_node = 1;
  Builds(web, "k1");
  return ThreeHosts({web, Service("worker")});
}

// web x2 mounting copy "site1" and config "conf1"; worker x1 mounting "conf1".
inline Stack CopiedFiles() {
  ServiceSpec web = Service("web", 2);
  web.max_replicas_per_node = 1;
  Copies(web, "site1", "/srv/site");
  Copies(web, "conf1", "/app.ini", true);
  ServiceSpec worker = Service("worker");
  Copies(worker, "conf1", "/app.ini", true);
  return ThreeHosts({web, worker});
}

}  // namespace baton::planner::testing
