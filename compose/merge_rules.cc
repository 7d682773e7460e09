#include "compose/merge_rules.h"

#include <array>
#include <string_view>

namespace baton::compose::merge {
namespace {

// A scalar item's text; nullopt for anything else.
std::optional<std::string> ScalarText(const Node& item) {
  if (!item.IsScalar()) return std::nullopt;
  return item.scalar();
}

// The text of a scalar field of a mapping item, or "" when absent.
std::string Field(const Node& item, std::string_view key) {
  const Node* v = item.Find(key);
  return v && v->IsScalar() ? v->scalar() : "";
}

// "KEY=value" and "KEY" are the same entry (environment-like lists).
std::optional<std::string> KeyBeforeEquals(const Node& item) {
  auto text = ScalarText(item);
  if (!text) return std::nullopt;
  return text->substr(0, text->find('='));
}

// Ports are the same binding when address, published port, container port
// and protocol agree; compose's defaults fill what is not written.
std::optional<std::string> PortKey(const Node& item) {
  if (!item.IsMapping()) return ScalarText(item);
  std::string host = Field(item, "host_ip");
  std::string protocol = Field(item, "protocol");
  return (host.empty() ? "0.0.0.0" : host) + ":" + Field(item, "published") + ":" +
         Field(item, "target") + "/" + (protocol.empty() ? "tcp" : protocol);
}

// Short syntax SOURCE:TARGET[:MODE] or TARGET alone, should one survive
// canonicalisation.
std::optional<std::string> MountTarget(const Node& item) {
  if (item.IsMapping()) return Field(item, "target");
  auto text = ScalarText(item);
  if (!text) return std::nullopt;
  size_t first = text->find(':');
  if (first == std::string::npos) return text;
  size_t second = text->find(':', first + 1);
  return text->substr(first + 1,
                      second == std::string::npos ? std::string::npos : second - first - 1);
}

// A secret or config is mounted at its target, by default under a fixed
// directory named after its source.
std::optional<std::string> FileMountKey(const Node& item, std::string_view default_dir) {
  if (item.IsMapping()) {
    std::string target = Field(item, "target");
    if (!target.empty()) return target;
    return std::string(default_dir) + "/" + Field(item, "source");
  }
  auto text = ScalarText(item);
  if (!text) return std::nullopt;
  return std::string(default_dir) + "/" + *text;
}

std::optional<std::string> SecretKey(const Node& item) {
  return FileMountKey(item, "/run/secrets");
}
std::optional<std::string> ConfigKey(const Node& item) { return FileMountKey(item, ""); }

std::optional<std::string> EnvFileKey(const Node& item) {
  if (item.IsMapping()) return Field(item, "path");
  return ScalarText(item);
}

struct Entry {
  std::string_view pattern;  // keys joined by "."; "*" matches any key
  Rule rule;
};

constexpr Rule kReplace{Strategy::kReplace};
constexpr Rule kByKey{Strategy::kByKey};
constexpr Rule kAppendNew{Strategy::kAppendNew};
constexpr Rule Unique(ItemKey key) { return Rule{Strategy::kUnique, key}; }

// compose-go's override/merge.go and override/uncity.go, for canonical trees.
const std::array kRules = {
    Entry{"services.*.command", kReplace},
    Entry{"services.*.entrypoint", kReplace},
    Entry{"services.*.healthcheck.test", kReplace},
    Entry{"services.*.ulimits.*", kReplace},
    Entry{"services.*.logging", Rule{Strategy::kLogging}},
    Entry{"services.*.environment", kByKey},
    Entry{"services.*.labels", kByKey},
    Entry{"services.*.annotations", kByKey},
    Entry{"services.*.sysctls", kByKey},
    Entry{"services.*.build.args", kByKey},
    Entry{"services.*.build.labels", kByKey},
    Entry{"services.*.build.additional_contexts", kByKey},
    Entry{"services.*.deploy.labels", kByKey},
    Entry{"networks.*.labels", kByKey},
    Entry{"volumes.*.labels", kByKey},
    Entry{"services.*.extra_hosts", kAppendNew},
    Entry{"services.*.build.extra_hosts", kAppendNew},
    Entry{"services.*.ports", Unique(PortKey)},
    Entry{"services.*.volumes", Unique(MountTarget)},
    Entry{"services.*.devices", Unique(MountTarget)},
    Entry{"services.*.secrets", Unique(SecretKey)},
    Entry{"services.*.configs", Unique(ConfigKey)},
    Entry{"services.*.env_file", Unique(EnvFileKey)},
    Entry{"services.*.expose", Unique(ScalarText)},
    Entry{"services.*.dns", Unique(KeyBeforeEquals)},
    Entry{"services.*.dns_opt", Unique(KeyBeforeEquals)},
    Entry{"services.*.dns_search", Unique(KeyBeforeEquals)},
    Entry{"services.*.tmpfs", Unique(KeyBeforeEquals)},
    Entry{"services.*.cap_add", Unique(KeyBeforeEquals)},
    Entry{"services.*.cap_drop", Unique(KeyBeforeEquals)},
    Entry{"services.*.links", Unique(KeyBeforeEquals)},
    Entry{"services.*.profiles", Unique(KeyBeforeEquals)},
    Entry{"services.*.build.tags", Unique(KeyBeforeEquals)},
    Entry{"services.*.networks.*.aliases", Unique(KeyBeforeEquals)},
    Entry{"services.*.networks.*.link_local_ips", Unique(KeyBeforeEquals)},
    Entry{"networks.*.ipam.config", Rule{Strategy::kIpamConfig}},
};

bool Matches(std::string_view pattern, std::span<const std::string_view> path) {
  for (std::string_view key : path) {
    if (pattern.empty()) return false;
    size_t dot = pattern.find('.');
    std::string_view segment = pattern.substr(0, dot);
    if (segment != "*" && segment != key) return false;
    pattern = dot == std::string_view::npos ? std::string_view() : pattern.substr(dot + 1);
  }
  return pattern.empty();
}

}  // namespace

Rule RuleFor(std::span<const std::string_view> path) {
  // Every rule lies two to five keys deep; skip the scan elsewhere.
  if (path.size() < 3 || path.size() > 5) return Rule{};
  for (const Entry& e : kRules)
    if (Matches(e.pattern, path)) return e.rule;
  return Rule{};
}

}  // namespace baton::compose::merge
