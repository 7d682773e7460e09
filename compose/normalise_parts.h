#pragma once
// The parts of normalisation, one area per file, called by normalise.cc in
// this order: read each service and top-level resource into the model, then
// (add_defaults) compose's defaults. env_file/label_file are a stage of their
// own (ResolveEnvironment, normalise_environment.cc).
// Internal to normalisation. Readers fill only the keys they are given and
// return located kInvalid errors.

#include <string>

#include "base/result.h"
#include "compose/model.h"
#include "compose/node.h"
#include "compose/normalise.h"

namespace baton::compose::normalise {

// normalise_service.cc: one `services.<name>` entry.
Result<Service> ReadService(const MapEntry& entry, const ModelPath& at);

// normalise_build.cc: `build` (a mapping).
Status ReadBuild(const Node& node, const ModelPath& at, Service& service);

// normalise_deploy.cc: `deploy` (a mapping).
Status ReadDeploy(const Node& node, const ModelPath& at, Service& service);

// normalise_mounts.cc: `ports` and `volumes` (sequences of mappings).
Status ReadPorts(const Node& node, const ModelPath& at, Service& service);
Status ReadVolumeMounts(const Node& node, const ModelPath& at, Service& service);

// normalise_links.cc: what a service refers to by name. Each records the
// mark of every reference in service.marks ("networks.<name>", ...).
Status ReadServiceNetworks(const Node& node, const ModelPath& at, Service& service);
Status ReadDependsOn(const Node& node, const ModelPath& at, Service& service);
Status ReadSecretReferences(const Node& node, const ModelPath& at, Service& service);
Status ReadConfigReferences(const Node& node, const ModelPath& at, Service& service);
// A sequence of {source, target, uid, gid, mode}; marks go to
// service.marks["<prefix>[i]"].
Result<std::vector<FileReference>> ReadFileReferences(const Node& node, const ModelPath& at,
                                                      const std::string& prefix,
                                                      Service& service);

// normalise_service_parts.cc: the smaller structured service keys.
Status ReadHealthcheck(const Node& node, const ModelPath& at, Service& service);
Status ReadUlimits(const Node& node, const ModelPath& at, Service& service);
Status ReadLogging(const Node& node, const ModelPath& at, Service& service);
Status ReadEnvFiles(const Node& node, const ModelPath& at, Service& service);
Status ReadLabelFiles(const Node& node, const ModelPath& at, Service& service);
// Checks the byte sizes and cpus kept in Service::other (mem_limit, shm_size,
// ...) and rewrites byte sizes as byte counts, as compose prints them.
Status NormaliseOtherScalars(Service& service, const ModelPath& at);

// normalise_resources.cc: the top-level `networks`, `volumes`, `secrets`,
// `configs` mappings.
Status ReadNetworks(const Node& node, const ModelPath& at, Project& project);
Status ReadVolumes(const Node& node, const ModelPath& at, Project& project);
Status ReadSecrets(const Node& node, const ModelPath& at, Project& project);
Status ReadConfigs(const Node& node, const ModelPath& at, Project& project);

// normalise_defaults.cc: what compose adds when normalising.
void AddDefaults(Project& project, const NormaliseOptions& options);

// The model path of a service key: services.<name>.<key>.
ModelPath ServicePath(const std::string& service_name);

}  // namespace baton::compose::normalise
