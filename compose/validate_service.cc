// Combinations inside one service that compose refuses, and top-level
// secrets without a source. Messages follow compose-go's.

#include <map>
#include <string>

#include "compose/validate_checks.h"

namespace baton::compose::validate {
namespace {

std::string Quoted(const std::string& text) { return "\"" + text + "\""; }

void CheckImageOrBuild(const Service& service, Findings& findings) {
  if (!service.image.empty() || service.build || service.other.Find("provider")) return;
  Report(findings, service.mark, ServicePath(service),
         "service " + Quoted(service.name) + " has neither an image nor a build context specified");
}

void CheckBuild(const Service& service, Findings& findings) {
  if (!service.build) return;
  const BuildConfig& build = *service.build;
  if (!build.dockerfile.empty() && !build.dockerfile_inline.empty())
    Report(findings, ServiceKeyMark(service, "build"), ServicePath(service).Key("build"),
           "service " + Quoted(service.name) +
               " declares mutually exclusive dockerfile and dockerfile_inline");
  if (build.platforms.empty() || service.platform.empty()) return;
  for (const std::string& platform : build.platforms)
    if (platform == service.platform) return;
  Report(findings, ServiceKeyMark(service, "platform"), ServicePath(service).Key("platform"),
         "service.build.platforms must include service.platform " + Quoted(service.platform));
}

void CheckNetworkSettings(const Service& service, Findings& findings) {
  if (service.network_mode.empty() || service.networks.empty()) return;
  Report(
      findings, ServiceKeyMark(service, "networks"), ServicePath(service).Key("networks"),
      "service " + Quoted(service.name) + " declares mutually exclusive network_mode and networks");
}

void CheckHealthcheck(const Service& service, Findings& findings) {
  if (!service.healthcheck || service.healthcheck->test.empty()) return;
  const std::string& kind = service.healthcheck->test.front();
  if (kind == "CMD" || kind == "CMD-SHELL" || kind == "NONE") return;
  Report(findings, ServiceKeyMark(service, "healthcheck"),
         ServicePath(service).Key("healthcheck").Key("test"),
         "healthcheck.test must start either by \"CMD\", \"CMD-SHELL\" or \"NONE\"");
}

void CheckScale(const Service& service, Findings& findings) {
  std::optional<int> replicas = service.deploy ? service.deploy->replicas : std::nullopt;
  if (service.scale && replicas && *service.scale != *replicas)
    Report(findings, ServiceKeyMark(service, "scale"), ServicePath(service),
           "can't set distinct values on 'scale' and 'deploy.replicas'");
  if (service.scale && *service.scale < 0)
    Report(findings, ServiceKeyMark(service, "scale"), ServicePath(service).Key("scale"),
           "must be greater than or equal to 0");
  if (replicas && *replicas < 0)
    Report(findings, ServiceKeyMark(service, "deploy"),
           ServicePath(service).Key("deploy").Key("replicas"),
           "must be greater than or equal to 0");
  int count = service.scale ? *service.scale : replicas.value_or(1);
  if (count > 1 && !service.container_name.empty()) {
    std::string key = service.scale ? "scale" : "deploy.replicas";
    Report(findings, ServiceKeyMark(service, "container_name"),
           ServicePath(service).Key("container_name"),
           "can't set container_name and " + key + " as container name must be unique");
  }
}

// tmpfs entries ("/run:size=64k") and volume targets share one namespace.
void CheckMountTargets(const Service& service, Findings& findings) {
  std::map<std::string, std::string> mounted;  // target -> model path of its first mount
  ModelPath at = ServicePath(service);
  for (size_t i = 0; i < service.tmpfs.size(); ++i) {
    std::string target = service.tmpfs[i].substr(0, service.tmpfs[i].find(':'));
    ModelPath here = at.Key("tmpfs").Index(i);
    auto [it, fresh] = mounted.emplace(target, here.str());
    if (!fresh)
      Report(findings, ServiceKeyMark(service, "tmpfs"), here,
             "target " + target + " already mounted as " + it->second);
  }
  for (size_t i = 0; i < service.volumes.size(); ++i) {
    const std::string& target = service.volumes[i].target;
    ModelPath here = at.Key("volumes").Index(i);
    auto [it, fresh] = mounted.emplace(target, here.str());
    if (!fresh)
      Report(findings, ServiceKeyMark(service, "volumes[" + std::to_string(i) + "]"), here,
             "target " + target + " already mounted as " + it->second);
  }
}

}  // namespace

void CheckServiceSettings(const Service& service, Findings& findings) {
  CheckImageOrBuild(service, findings);
  CheckBuild(service, findings);
  CheckNetworkSettings(service, findings);
  CheckHealthcheck(service, findings);
  CheckScale(service, findings);
  CheckMountTargets(service, findings);
}

void CheckSecretSources(const Project& project, Findings& findings) {
  for (const auto& [name, secret] : project.secrets) {
    if (secret.external || !secret.file.empty() || !secret.environment.empty()) continue;
    Report(findings, secret.mark, ModelPath().Key("secrets").Key(name),
           "secret " + Quoted(name) + " must declare either file or environment");
  }
}

}  // namespace baton::compose::validate
