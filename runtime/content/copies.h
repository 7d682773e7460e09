#pragma once
// Project files a service mounts, and its configs, as copies: trees of local
// files uploaded to each host that runs the service and bound from there
// (a bind of a local path would name a path on the remote host instead).

#include "compose/model.h"
#include "planner/desired_state.h"

namespace baton::content {

struct ContentPass;

// The bind mounts of `service`. A source in the project folder (lexically)
// becomes a copy: a folder is copied whole (subpath ""), a file as a
// one-entry tree named after it (subpath = its name), a missing source with
// create_host_path (short syntax) as an empty folder; the trees go to
// pass.out.copies by digest, the uses to `use.copies`. A writable one gets a
// plan note: writes stay on each host's copy. Any other source is a path on
// the hosts (`use.host_paths`, with a note). Lists located errors for a
// missing source without create_host_path, or an unreadable one.
void ReadBindCopies(ContentPass& pass, const compose::Service& service,
                    planner::ServiceContent& use);

// The configs of `service` (file, environment or content): each use is a
// read-only copy of one entry named "config", owned by the use's uid and gid
// (default 0) with its mode (default 0444), at its target (default
// "/<key>", a relative one under "/"). Lists located errors for a missing
// file, an unset variable, and external or driver configs.
void ReadConfigCopies(ContentPass& pass, const compose::Service& service,
                      planner::ServiceContent& use);

}  // namespace baton::content
