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

// A replica's slot from its labels: baton.slot, else compose's
// container-number (a container compose itself made); 0 when neither holds a
// positive number, so a hand-edited label never breaks a reader.
int SlotFromLabels(const std::map<std::string, std::string>& labels);

}  // namespace baton::planner::labels
