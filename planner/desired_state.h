#pragma once
// Desired state: what a compose project asks to run, in the terms the
// placement works in. Pure: built from the compose model alone.
//
// Each service becomes a ServiceSpec with a replica count (deploy.replicas,
// else scale, else 1; deploy.mode global means one per eligible host, the
// count then comes from placement) and a spec hash covering everything that
// shapes its containers: the service as `baton config` would print it, less
// the keys that only steer placement or counting (deploy.replicas, scale,
// deploy.placement, deploy.update_config, deploy.rollback_config, x-baton;
// see spec_hash.h for the exact input). A change to one service's
// environment changes only that service's hash. A replica is identified by (service, slot),
// slots counted from 1 as compose's container numbers.
//
// Placement rules beyond the compose-spec live under the service's `x-baton`
// extension:
//   x-baton:
//     affinity: [db]        # place each replica on a host that runs a db replica
//     anti_affinity: [web]  # never on a host that runs a web replica
// Both are hard rules; unknown keys under x-baton are errors.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "compose/model.h"
#include "planner/x_baton.h"

namespace baton::planner {

// One `deploy.placement.constraints` entry: `node.labels.zone == eu`.
// Attributes: node.hostname, node.labels.<key>, node.platform.os,
// node.platform.arch.
struct Constraint {
  std::string attribute;  // "node.labels.zone"
  bool equal = true;      // == or !=
  std::string value;      // "eu"
  std::string text;       // as written, for messages: "node.labels.zone==eu"
};

// A port published on a fixed host port (a random or ranged publish never
// collides and is not listed).
struct PublishedPort {
  std::string host_ip;  // "" = all addresses
  uint32_t port = 0;
  std::string protocol = "tcp";
  bool operator==(const PublishedPort&) const = default;
};

// Local content a service uses (issue 8), as digests: the planner never sees
// file bytes. runtime/content reads the project folder and makes these; an
// empty ServiceContent means the service uses no local content.
struct BuildUse {
  std::string digest;  // K: hex SHA-256 over the filtered context and the build options
  std::string image;   // N: `image:` or "<project>-<service>", tagged after the build too
  std::string tag;     // T: "<repository of N>:baton-<K[:12]>"; service.image is set to T
  std::string label;   // for plans: "./web, 41 files, 2.3 MiB" or the remote URL
};

// A bind mount whose source lies in the project folder, or a config: served
// from a copy uploaded to each host that runs the service.
struct FileCopyUse {
  std::string digest;   // D: hex SHA-256 of the copy's tree (content/tree.h)
  std::string subpath;  // inside the copy: "" for a folder, else the one file's name
  std::string target;   // absolute path in the container
  bool read_only = true;
  bool config = false;  // a config rather than a bind mount, for plan reasons
  std::string label;    // "./nginx/nginx.conf" or "config app-config"
  uint64_t bytes = 0;
  uint64_t files = 0;
};

// A secret: copied into each created container before it starts; its value
// never reaches the planner, a label or the plan.
struct SecretUse {
  std::string key;          // the top-level secret key: "db-password"
  std::string fingerprint;  // content::SecretFingerprint, never the value
  std::string target;       // absolute: "/run/secrets/db-password"
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint32_t mode = 0444;
};

struct ServiceContent {
  std::optional<BuildUse> build;
  std::vector<FileCopyUse> copies;  // in the order of volumes, then configs
  std::vector<SecretUse> secrets;
  // Bind sources outside the project folder: paths on each host that runs
  // the service, as Docker takes them ("/var/run/docker.sock").
  std::vector<std::string> host_paths;
  bool empty() const {
    return !build && copies.empty() && secrets.empty() && host_paths.empty();
  }
};
using ContentDigests = std::map<std::string, ServiceContent>;  // by service name

struct ServiceSpec {
  std::string name;
  compose::Service service;  // the normalised service, for building containers
  bool global = false;       // deploy.mode global / global-job
  int replicas = 1;          // replicated services only
  std::string spec_hash;     // hex SHA-256
  // Short hash of each top-level key of the service ("environment", "image",
  // ...), so that a plan can name what changed.
  std::map<std::string, std::string> part_hashes;

  std::vector<Constraint> constraints;
  std::vector<std::string> spread;  // placement.preferences spread attributes
  std::optional<uint64_t> max_replicas_per_node;
  double reserved_cpus = 0;       // deploy.resources.reservations.cpus
  int64_t reserved_memory = 0;    // bytes
  std::vector<PublishedPort> published_ports;
  // Engine names of the project's named volumes with the local driver that
  // the service mounts: its replicas stay on the host that holds them.
  std::vector<std::string> local_volumes;
  std::vector<std::string> affinity;       // x-baton.affinity service names
  std::vector<std::string> anti_affinity;  // x-baton.anti_affinity service names
  // Watcher inputs (issue 6).
  std::string restart;  // compose `restart` as written ("" = none), see labels::kRestart
  bool liveness = false;  // a healthcheck the engine runs: unhealthy -> replaced
  std::optional<compose::Healthcheck> readiness;  // x-baton.readiness
  std::optional<AutoscalePolicy> autoscale;       // x-baton.autoscale
  ServiceContent content;  // local content it uses (build, copies, secrets)
};

// A project network; external ones are never created or removed.
struct NetworkSpec {
  std::string key;  // the compose key ("default", "back")
  compose::Network network;  // network.name is the engine-side name ("shop_default")
};

// A project volume; external ones are never created or removed.
struct VolumeSpec {
  std::string key;  // the compose key
  compose::Volume volume;  // volume.name is the engine-side name
};

struct DesiredState {
  std::string project;
  std::vector<ServiceSpec> services;  // sorted by name
  // Only those some enabled service uses (compose creates no others).
  std::vector<NetworkSpec> networks;  // sorted by key
  std::vector<VolumeSpec> volumes;    // sorted by key
  const ServiceSpec* FindService(const std::string& name) const;
};

// Errors are kInvalid at the key's position ("compose.yaml:9:11:
// services.web.deploy.placement.constraints[0]: ..."): a constraint that is
// not `attribute ==|!= value` or names an unknown attribute, an unknown
// x-baton key, affinity naming an unknown service.
//
// `content` holds the digests of each service's local content (from
// runtime/content): they enter the spec hash (never printed), and a service
// that builds runs the digest tag T as its image.
Result<DesiredState> MakeDesiredState(const compose::Project& project,
                                      const ContentDigests& content = {});

// compose's container name for a replica: "shop-web-2", or the service's
// container_name when it has one (only allowed with one replica).
std::string ContainerName(const std::string& project, const ServiceSpec& service, int slot);

}  // namespace baton::planner
