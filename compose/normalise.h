#pragma once
// Stage 6: the merged, canonical project file (one Node) becomes the typed
// model (model.h), as compose-go's Normalize and ModelToProject do; then,
// once profiles have chosen the enabled services, ResolveEnvironment reads
// their env and label files as compose-go's
// WithServices{Environment,Labels}Resolved do.
//
// What the input must look like (Canonicalise, ResolvePaths, MergeFiles,
// ResolveExtends and ResolveIncludes have run): every key in its long form,
// the shapes `docker compose config` prints: ports, volumes, secrets, configs,
// env_file entries and depends_on entries as mappings; environment, labels,
// sysctls, annotations, build.args and networks as mappings; command,
// entrypoint, healthcheck.test and string-or-list keys as sequences; local
// paths absolute. Durations, byte sizes, cpus, file modes and numbers are
// still scalar text and are parsed here. Any other shape is a kInvalid error
// located at the node ("compose.yaml:7:14: services.web.stop_grace_period:
// invalid duration \"ten\""); normalisation never crashes on bad input.

#include <string>

#include "base/file_system.h"
#include "base/result.h"
#include "compose/interpolate.h"
#include "compose/model.h"
#include "compose/node.h"

namespace baton::compose {

struct NormaliseOptions {
  std::string project_name;
  std::string working_dir;  // absolute project directory
  // The environment: fills `KEY` without value in environment/build.args.
  Lookup lookup;
  // What `docker compose config` adds: the `default` network (only if a
  // service uses it implicitly), services without networks/network_mode
  // attached to `default`, resource names "<project>_<key>" for resources
  // without name:, ... (listed below).
  bool add_defaults = true;
};

// `root` is the whole merged, canonical project file (one Node). Reads no
// files: env_file and label_file are read by ResolveEnvironment, after
// profiles have decided which services are enabled.
//
// Typed keys fill the model; every other compose-spec service key is kept,
// copied, in Service::other and every `x-` key in the nearest `extensions`.
// Service::mark, Service::marks (each key as written, and the finer paths
// "networks.<name>", "depends_on.<name>", "volumes[i]", "secrets[i]",
// "configs[i]", "build.secrets[i]"), Network/Volume/FileObject::mark are the
// positions of the keys, for errors found later (validate.h).
//
// Always done: config `content` from its `environment` variable, a
// value-less build arg from options.lookup, a missing build context set to
// working_dir.
//
// With add_defaults (compose-go's Normalize and default values): the implicit
// `default` network, resource names, `links`/`volumes_from`/`service:`
// namespaces as depends_on entries, build.dockerfile "Dockerfile", secret
// targets /run/secrets/<source>, bind create_host_path true, device request
// count "all", pull_policy if_not_present -> missing, volume targets cleaned,
// unresolved value-less build args dropped.
Result<Project> Normalise(const Node& root, const NormaliseOptions& options);

// The stage after ApplyProfiles (compose-go's
// WithServices{Environment,Labels}Resolved): for each service in
// project.services, env_file contents merged under `environment` (files in
// order, the service's own values win; a value-less `KEY` takes
// options.lookup's value or stays nullopt) and label_file contents under
// `labels`. project.disabled_services are left as they are and their files
// are never read, as compose never reads them. A missing required env file
// or any missing label file is a kNotFound error located at the service's
// env_file/label_file item; an unreadable or malformed file is an error too.
Status ResolveEnvironment(Project& project, const NormaliseOptions& options, FileSystem& files);

}  // namespace baton::compose
