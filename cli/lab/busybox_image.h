#pragma once
// The lab's only image: Debian's static busybox in one layer, built here as a
// `docker save` archive because no registry is reachable from the lab.

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace baton::cli::lab {

// The tags the lab image is loaded under.
inline const std::vector<std::string> kLabImageTags = {"baton/busybox:lab", "busybox:latest"};

// A docker-save archive (manifest.json, config, one layer.tar) whose layer
// holds /bin/busybox, a symlink to it at every applet path ("usr/bin/wc"), the
// directories they need, /tmp and a root-only /etc/passwd and /etc/group. The
// config runs `sh` by default. Pure: kInvalid if an applet path cannot be
// stored in a tar header.
Result<std::string> MakeBusyboxImageArchive(std::string_view busybox_binary,
                                            const std::vector<std::string>& applet_paths,
                                            const std::vector<std::string>& repo_tags);

// Reads the static busybox binary on this machine (/bin/busybox or
// /usr/bin/busybox), asks it for its applets and builds the archive with
// kLabImageTags. kNotFound when busybox is missing; kInvalid when it is
// dynamically linked (it must run in an empty image; install busybox-static).
Result<std::string> BuildBusyboxImageArchive();

}  // namespace baton::cli::lab
