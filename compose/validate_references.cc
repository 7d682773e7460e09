// Names a service uses that must be defined: networks, volumes, secrets,
// configs, the services it depends on or shares a namespace or build
// context with. Messages follow compose-go's.

#include <string>

#include "compose/validate_checks.h"

namespace baton::compose::validate {
namespace {

constexpr std::string_view kServicePrefix = "service:";

std::string Quoted(const std::string& text) { return "\"" + text + "\""; }

std::string Indexed(const std::string& key, size_t index) {
  return key + "[" + std::to_string(index) + "]";
}

void CheckNetworks(const Project& project, const Service& service, Findings& findings) {
  for (const auto& [network, options] : service.networks) {
    if (project.networks.count(network)) continue;
    std::string key = "networks." + network;
    Report(findings, ServiceKeyMark(service, key),
           ServicePath(service).Key("networks").Key(network),
           "service " + Quoted(service.name) + " refers to undefined network " + network);
  }
}

void CheckVolumes(const Project& project, const Service& service, Findings& findings) {
  for (size_t i = 0; i < service.volumes.size(); ++i) {
    const VolumeMount& mount = service.volumes[i];
    if (mount.type != "volume" || mount.source.empty() || project.volumes.count(mount.source))
      continue;
    Report(findings, ServiceKeyMark(service, Indexed("volumes", i)),
           ServicePath(service).Key("volumes").Index(i),
           "service " + Quoted(service.name) + " refers to undefined volume " + mount.source);
  }
}

// Secrets, configs and build secrets: `key` is the marks prefix
// ("secrets", "build.secrets"), `at` its model path, `what` the word in the
// message.
void CheckFileReferences(const std::vector<FileReference>& refs,
                         const std::map<std::string, FileObject>& defined, const Service& service,
                         const std::string& key, const ModelPath& at, const std::string& what,
                         Findings& findings) {
  for (size_t i = 0; i < refs.size(); ++i) {
    if (defined.count(refs[i].source)) continue;
    Report(
        findings, ServiceKeyMark(service, Indexed(key, i)), at.Index(i),
        "service " + Quoted(service.name) + " refers to undefined " + what + " " + refs[i].source);
  }
}

// A required dependency must be enabled; an optional one may be disabled.
void CheckDependsOn(const Project& project, const Service& service, Findings& findings) {
  for (const auto& [dependency, condition] : service.depends_on) {
    if (project.services.count(dependency)) continue;
    if (!condition.required && project.disabled_services.count(dependency)) continue;
    Report(
        findings, ServiceKeyMark(service, "depends_on." + dependency),
        ServicePath(service).Key("depends_on").Key(dependency),
        "service " + Quoted(service.name) + " depends on undefined service " + Quoted(dependency));
  }
}

void CheckNetworkMode(const Project& project, const Service& service, Findings& findings) {
  const std::string& mode = service.network_mode;
  if (mode.compare(0, kServicePrefix.size(), kServicePrefix) != 0) return;
  std::string target = mode.substr(kServicePrefix.size());
  if (project.services.count(target)) return;
  Report(findings, ServiceKeyMark(service, "network_mode"),
         ServicePath(service).Key("network_mode"),
         "service " + Quoted(target) + " not found for network_mode 'service:" + target + "'");
}

void CheckAdditionalContexts(const Project& project, const Service& service, Findings& findings) {
  if (!service.build) return;
  for (const auto& [name, context] : service.build->additional_contexts) {
    if (context.compare(0, kServicePrefix.size(), kServicePrefix) != 0) continue;
    std::string target = context.substr(kServicePrefix.size());
    auto it = project.services.find(target);
    if (it != project.services.end() && it->second.build) continue;
    std::string problem = it == project.services.end() ? "unknown" : "non-buildable";
    Report(findings, ServiceKeyMark(service, "build"),
           ServicePath(service).Key("build").Key("additional_contexts").Key(name),
           "service " + Quoted(service.name) + " declares " + problem + " service " +
               Quoted(target) + " as additional contexts " + name);
  }
}

}  // namespace

void CheckReferences(const Project& project, const Service& service, Findings& findings) {
  CheckNetworks(project, service, findings);
  CheckVolumes(project, service, findings);
  ModelPath at = ServicePath(service);
  CheckFileReferences(service.secrets, project.secrets, service, "secrets", at.Key("secrets"),
                      "secret", findings);
  CheckFileReferences(service.configs, project.configs, service, "configs", at.Key("configs"),
                      "config", findings);
  if (service.build)
    CheckFileReferences(service.build->secrets, project.secrets, service, "build.secrets",
                        at.Key("build").Key("secrets"), "build secret", findings);
  CheckDependsOn(project, service, findings);
  CheckNetworkMode(project, service, findings);
  CheckAdditionalContexts(project, service, findings);
}

}  // namespace baton::compose::validate
