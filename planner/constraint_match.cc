// MatchesConstraint and CanonicalArch, declared in constraint_match.h.

#include "planner/constraint_match.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

namespace baton::planner {
namespace {

constexpr std::string_view kLabelPrefix = "node.labels.";

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Whether the host has `value` for the attribute; nullopt when it has no
// value at all (a missing label), which only `!=` accepts.
std::optional<bool> HasValue(const Constraint& constraint, const HostState& host) {
  const std::string& attribute = constraint.attribute;
  if (attribute == "node.hostname")
    return constraint.value == host.name || constraint.value == host.hostname;
  if (attribute == "node.platform.os") return Lower(constraint.value) == Lower(host.os);
  if (attribute == "node.platform.arch")
    return CanonicalArch(constraint.value) == CanonicalArch(host.arch);
  if (attribute.compare(0, kLabelPrefix.size(), kLabelPrefix) != 0) return std::nullopt;
  auto label = host.labels.find(attribute.substr(kLabelPrefix.size()));
  if (label == host.labels.end()) return std::nullopt;
  return label->second == constraint.value;
}

}  // namespace

std::string CanonicalArch(const std::string& arch) {
  std::string lower = Lower(arch);
  if (lower == "amd64") return "x86_64";
  if (lower == "arm64") return "aarch64";
  return lower;
}

bool MatchesConstraint(const Constraint& constraint, const HostState& host) {
  std::optional<bool> has = HasValue(constraint, host);
  if (!has) return !constraint.equal;
  return constraint.equal == *has;
}

}  // namespace baton::planner
