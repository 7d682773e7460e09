// Normalise: the canonical project Node to the typed model, in the order
// compose-go loads a project: read services and resources, resolve what the
// environment gives, then add compose's defaults. Environment and label
// files are read later, by ResolveEnvironment (normalise_environment.cc).

#include "compose/normalise.h"

#include "compose/normalise_parts.h"
#include "compose/normalise_read.h"

namespace baton::compose {
namespace {

using normalise::ReadService;

// Top-level keys that mean nothing once the earlier stages have run: the
// project name comes from NormaliseOptions, `version` is obsolete, includes
// are resolved, and the model has no place for AI `models`.
bool IsSpentTopLevelKey(std::string_view key) {
  return key == "name" || key == "version" || key == "include" || key == "models";
}

Status ReadServices(const Node& node, const ModelPath& at, Project& project) {
  if (node.IsNull()) return Status::Ok();
  if (Status s = normalise::RequireMapping(node, at); !s.ok()) return s;
  for (const MapEntry& entry : node.entries()) {
    Result<Service> service = ReadService(entry, at.Key(entry.key));
    if (!service.ok()) return std::move(service).error();
    project.services[entry.key] = std::move(*service);
  }
  return Status::Ok();
}

Status ReadTopLevelKey(const MapEntry& entry, Project& project) {
  ModelPath at = ModelPath().Key(entry.key);
  if (entry.key == "services") return ReadServices(entry.value, at, project);
  if (entry.key == "networks") return normalise::ReadNetworks(entry.value, at, project);
  if (entry.key == "volumes") return normalise::ReadVolumes(entry.value, at, project);
  if (entry.key == "secrets") return normalise::ReadSecrets(entry.value, at, project);
  if (entry.key == "configs") return normalise::ReadConfigs(entry.value, at, project);
  if (IsSpentTopLevelKey(entry.key)) return Status::Ok();
  if (normalise::IsExtensionKey(entry.key)) {
    project.extensions.Set(entry.key, entry.value, entry.key_mark);
    return Status::Ok();
  }
  return Error::Invalid(Where(entry.key_mark, at), "unknown key \"" + entry.key + "\"");
}

// What compose resolves from the environment for every project, normalised
// or not. Environment and label files wait for ResolveEnvironment.
void ResolveFromEnvironment(Project& project, const NormaliseOptions& options) {
  for (auto& [name, service] : project.services) {
    if (service.build && service.build->context.empty())
      service.build->context = options.working_dir;
    if (service.build && options.lookup) {
      for (auto& [key, value] : service.build->args)
        if (!value) value = options.lookup(key);
    }
  }
  // A config may take its content from an environment variable.
  for (auto& [name, config] : project.configs) {
    if (config.environment.empty() || config.content || !options.lookup) continue;
    config.content = options.lookup(config.environment);
  }
}

}  // namespace

Result<Project> Normalise(const Node& root, const NormaliseOptions& options) {
  Project project;
  project.name = options.project_name;
  project.working_dir = options.working_dir;
  if (!root.IsNull()) {
    if (Status s = normalise::RequireMapping(root, ModelPath()); !s.ok())
      return std::move(s).error();
    for (const MapEntry& entry : root.entries()) {
      if (Status s = ReadTopLevelKey(entry, project); !s.ok()) return std::move(s).error();
    }
  }
  ResolveFromEnvironment(project, options);
  if (options.add_defaults) normalise::AddDefaults(project, options);
  return project;
}

}  // namespace baton::compose
