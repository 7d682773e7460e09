#pragma once
// One lab host: its files, the pin process that holds its namespaces, and the
// daemons started inside it.
//
// A host is a network namespace (made by CreateHostNetwork) plus a mount and
// a UTS namespace owned by a long-lived "pin" process (`sleep infinity`).
// Inside, the host's own directories are bound over /run and /etc/ssh, so
// sshd and dockerd run with their default paths: /etc/ssh/sshd_config,
// /run/docker.sock (= /var/run/docker.sock), /run/sshd.pid.

#include <sys/types.h>

#include <string>

#include "base/result.h"
#include "cli/lab/lab_layout.h"

namespace baton::cli::lab {

// Creates DIR/hosts/NAME with run/ (and run/sshd), etc-ssh/ (sshd_config,
// the host key, authorized_keys holding the lab key), docker/, log/ and
// daemon.json. Key pairs must exist already.
Status PrepareHostFiles(const LabLayout& layout, const LabHost& host,
                        const std::string& storage_driver);

// Starts the host's pin inside its network namespace, with new mount and UTS
// namespaces set up as described above, and records its pid in pin.pid.
Result<pid_t> StartPin(const LabHost& host);

// The pid recorded in pin.pid if that process still runs, else 0.
pid_t RunningPin(const LabHost& host);

// Starts sshd and dockerd inside the host held by `pin`; logs go to log/.
// Returns once both have exec'd, not once they answer.
Status StartHostDaemons(const LabHost& host, pid_t pin);

// A path to the host's docker socket usable from the machine's namespace:
// under DIR, or through /proc/PIN/root when that path is too long for a
// unix socket address.
std::string DockerSocketPath(const LabHost& host, pid_t pin);

}  // namespace baton::cli::lab
