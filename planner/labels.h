#pragma once
// The labels baton puts on every container, network and volume it creates.
// The hosts are the source of truth: `ps`, `plan` and `up` rebuild the actual
// state from these labels alone, on any machine, with no local state file.
// Compose's own labels are set too, so `docker compose ls/ps` on a host sees
// baton's containers as a compose project.

#include <map>
#include <string>

namespace baton::planner::labels {

// Compose's labels, with compose's meanings.
inline constexpr char kProject[] = "com.docker.compose.project";
inline constexpr char kService[] = "com.docker.compose.service";
inline constexpr char kContainerNumber[] = "com.docker.compose.container-number";
inline constexpr char kConfigHash[] = "com.docker.compose.config-hash";
inline constexpr char kOneoff[] = "com.docker.compose.oneoff";    // "False" on replicas
inline constexpr char kNetwork[] = "com.docker.compose.network";  // the compose key
inline constexpr char kVolume[] = "com.docker.compose.volume";    // the compose key

// baton's own.
inline constexpr char kManaged[] = "baton.managed";     // "true": baton created it
inline constexpr char kSlot[] = "baton.slot";           // "1", "2", ...
inline constexpr char kSpecHash[] = "baton.spec-hash";  // hex SHA-256, see desired_state.h
// Short hashes of each part of the spec, as compact JSON {"environment":"1a2b3c4d",...},
// so that a plan can say which part of a replica changed.
inline constexpr char kSpecParts[] = "baton.spec-parts";
inline constexpr char kHost[] = "baton.host";  // the hosts-file name it was placed on
// What the replica reserves, so that other projects' plans count it against
// the host's capacity: CPUs as a decimal ("0.5"), memory in bytes.
inline constexpr char kReservedCpus[] = "baton.reserved-cpus";
inline constexpr char kReservedMemory[] = "baton.reserved-memory";
// Cluster networking (issue 5). A network that spans hosts carries its slice
// of the cluster address space, so every later run (and netd) agrees on it.
inline constexpr char kSubnet[] = "baton.subnet";  // "10.210.3.0/24"
// A container's compose network aliases on spanned networks, as compact JSON
// {"shop_back":["cache"]}: netd answers them on every host, where Docker's
// own aliases would only answer on the container's host.
inline constexpr char kAliases[] = "baton.aliases";
// The network helper container on each host (one per host, shared by every
// project there): kRole "netd", kSpecHash its config and image.
inline constexpr char kRole[] = "baton.role";
inline constexpr char kNetdRole[] = "netd";
inline constexpr char kNetdContainer[] = "baton-netd";

// Local content (issue 8). A replica's kFiles lists the digests of the
// copies it mounts (JSON array). A copy is a volume with kFilesProject,
// kFilesDigest (the full digest) and kFilesRole "content"; its marker volume
// "<name>.ok" has role "complete"; a leftover upload helper container role
// "upload". A built image carries kBuildDigest and kBuildService.
inline constexpr char kFiles[] = "baton.files";
inline constexpr char kFilesProject[] = "baton.files-project";
inline constexpr char kFilesDigest[] = "baton.files-digest";
inline constexpr char kFilesRole[] = "baton.files-role";
inline constexpr char kBuildDigest[] = "baton.build-digest";
inline constexpr char kBuildService[] = "baton.build-service";  // "<project>/<service>"

// The watcher (issue 6). Records are never-started containers from the lock
// image that carry no compose project label, so observe and `down` never see
// them as replicas; kRole tells them apart.
inline constexpr char kStateRole[] = "state";  // desired state: baton-state-<project>-<gen>
inline constexpr char kLeaseRole[] = "lease";  // watcher lease: baton-lease-<project>
inline constexpr char kDrainRole[] = "drain";  // drained host marker: baton-drain
inline constexpr char kDrainContainer[] = "baton-drain";
// Desired-state record labels (runtime/state_store.h).
inline constexpr char kStateOf[] = "baton.state-of";          // the project
inline constexpr char kGeneration[] = "baton.generation";     // decimal
inline constexpr char kStateSha[] = "baton.state-sha256";     // hex of the payload file
inline constexpr char kWrittenBy[] = "baton.written-by";      // "alice@laptop pid 42"
inline constexpr char kWrittenAt[] = "baton.written-at";      // RFC 3339, writer's clock
inline constexpr char kPlacement[] = "baton.placement";       // {"web":{"1":"lab1"}}
inline constexpr char kSpecHashes[] = "baton.spec-hashes";    // {"web":"<sha256>"}
inline constexpr char kHeld[] = "baton.held";                 // {"web":{"3":"<sha256>"}}
inline constexpr char kRemoved[] = "baton.removed";           // "true" on a `down` tombstone
// Lease record labels (runtime/project_lease.h).
inline constexpr char kLeaseOf[] = "baton.lease-of";
inline constexpr char kLeaseHolder[] = "baton.lease-holder";
inline constexpr char kLeaseTerm[] = "baton.lease-term";
inline constexpr char kLeaseBoot[] = "baton.lease-boot";  // /proc/sys/kernel/random/boot_id
inline constexpr char kLeasePid[] = "baton.lease-pid";
// Drain marker labels.
inline constexpr char kDrainedBy[] = "baton.drained-by";
inline constexpr char kDrainedSince[] = "baton.drained-since";  // RFC 3339
// On replicas: the service's compose restart policy as written ("always",
// "on-failure:3", "" for none), so the watcher knows the intended policy
// after it set the engine's own to "no" to take over a crash loop.
inline constexpr char kRestart[] = "baton.restart";
// On replicas with x-baton.readiness: the probe as compact JSON
// {"test":[...],"interval_ms":..,"timeout_ms":..,"retries":..,"start_period_ms":..},
// which netd runs (runtime/netd/readiness_probe.h).
inline constexpr char kReadiness[] = "baton.readiness";

// A replica's slot from its labels: baton.slot, else compose's
// container-number (a container compose itself made); 0 when neither holds a
// positive number, so a hand-edited label never breaks a reader.
int SlotFromLabels(const std::map<std::string, std::string>& labels);

}  // namespace baton::planner::labels
