#pragma once
// The lab's SSH keys and known_hosts files. The key pairs live in the lab
// directory and survive `lab down`, so a host keeps its identity across runs.

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.h"
#include "cli/lab/lab_layout.h"

namespace baton::cli::lab {

// Ensures the ed25519 pair `private_key` and `private_key`.pub exists,
// generating both with ssh-keygen (no passphrase) when either is missing.
Status EnsureKeyPair(const std::filesystem::path& private_key, const std::string& comment);

// Writes DIR/known_hosts with one entry per host, from the host keys.
Status WriteLabKnownHosts(const LabLayout& layout, const std::vector<LabHost>& hosts);

// Replaces the entries for `hosts` in `known_hosts` (e.g. ~/.ssh/known_hosts)
// with the lab's, creating the file (and its directory, mode 0700) if needed.
Status AddToKnownHosts(const std::filesystem::path& known_hosts, const LabLayout& layout,
                       const std::vector<LabHost>& hosts);

// Removes the lines the lab added to `known_hosts`. Ok if the file is absent.
Status RemoveFromKnownHosts(const std::filesystem::path& known_hosts);

// ~/.ssh/known_hosts of the user running baton ($HOME, else the passwd entry).
std::filesystem::path UserKnownHostsFile();

}  // namespace baton::cli::lab
