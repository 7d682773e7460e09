#pragma once
// `services.X.extends`: a service built on another service, in the same file
// ({service: base}, canonical form of `extends: base`) or in another file
// ({service: base, file: other.yaml}), as compose resolves it:
// - the extending service is merged over its base with the merge rules of
//   merge.h (command replaced, ports by key, `!reset`, `!override`, ...);
// - chains are followed to their end, across files;
// - another file is read through the FileSystem, parsed and interpolated
//   with the project's variables; only the services the chain reaches are
//   canonicalised, and their relative paths start from that file's
//   directory;
// - references the base carries (depends_on, volumes_from, `service:`
//   network_mode/ipc) are kept as written, so they must exist in the
//   extending project, as in compose.

#include <string>

#include "base/result.h"
#include "compose/load_files.h"
#include "compose/node.h"

namespace baton::compose {

// Resolves the `extends` of every service of `file_root`, a canonical file
// whose paths are already resolved, read from the absolute path `file`.
// Afterwards no service has an `extends` key. Errors are kInvalid (kNotFound
// for a missing file or service), located at the `extends` key:
//   compose.yaml:4:5: services.web.extends: service "base" not found
//   compose.yaml:4:5: services.web.extends: service "base" not found in other.yaml
//   compose.yaml:4:5: services.web.extends.file: other.yaml: no such file
//   compose.yaml:9:5: services.b.extends: extends cycle: a (compose.yaml) ->
//       b (compose.yaml) -> a (compose.yaml)
// Remote files (git URLs, oci://) are refused.
Status ResolveExtends(Node& file_root, const std::string& file, const FileStageContext& ctx);

}  // namespace baton::compose
