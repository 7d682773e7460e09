#pragma once
// The spec hash of a service (see desired_state.h): what decides whether a
// running replica is still valid. Replicas carry it in the baton.spec-hash
// label and the part hashes in baton.spec-parts (labels.h).

#include <map>
#include <string>

#include "compose/model.h"
#include "compose/node.h"
#include "planner/desired_state.h"

namespace baton::planner {

struct SpecHash {
  std::string hash;  // hex SHA-256 of ToJson(HashedServiceNode(service))
  // Top-level key of HashedServiceNode -> first 8 hex digits of the SHA-256
  // of ToJson of its value: {"environment": "1a2b3c4d", "image": ...}.
  std::map<std::string, std::string> parts;
};

// The service as `baton config` prints it (compose::ProjectToNode), less the
// keys that only steer placement or counting: deploy.replicas,
// deploy.placement, deploy.update_config, deploy.rollback_config (and deploy
// itself when nothing else is left in it), scale and x-baton, except
// x-baton.readiness: it changes the replica (its probe label), so it is the
// part "readiness" when set (a service without it hashes as before).
compose::Node HashedServiceNode(const compose::Service& service);

// HashedServiceNode with the service's local content folded in, for hashing
// only (the node holds digests and is never printed):
// - every string equal to `project_dir` or under `project_dir + "/"` reads
//   "." or "./rel", so the same project in another folder hashes the same
//   ("" leaves paths as they are);
// - `build` gets `x-content: K`; each `volumes[i]` served from a copy (the
//   copy with its target) gets `x-content: D`; each `configs[i]` gets its
//   copy's D; each `secrets[i]` gets `x-content: F`, the secret's
//   fingerprint, never its value.
// An edit of a file thus changes the `volumes`, `configs`, `secrets` or
// `build` part of exactly the services that use it.
compose::Node HashedServiceNode(const compose::Service& service, const ServiceContent& content,
                                const std::string& project_dir);

// Deterministic: ToJson sorts object keys, and the model keeps maps sorted,
// so the same service loaded twice hashes the same.
SpecHash HashService(const compose::Service& service, const ServiceContent& content,
                     const std::string& project_dir);

// HashService without local content and with absolute paths.
SpecHash HashService(const compose::Service& service);

}  // namespace baton::planner
