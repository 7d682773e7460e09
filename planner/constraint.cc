// Constraint parsing. The syntax is Swarm's (`node.labels.zone == eu`), with
// only the attributes a hosts file can answer: Swarm's node.id and node.role
// mean nothing without a swarm, so they are refused rather than never match.

#include "planner/constraint.h"

#include <algorithm>
#include <string_view>

namespace baton::planner {
namespace {

constexpr std::string_view kLabelPrefix = "node.labels.";

std::string_view Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

bool KnownAttribute(std::string_view attribute) {
  if (attribute == "node.hostname" || attribute == "node.platform.os" ||
      attribute == "node.platform.arch")
    return true;
  return attribute.size() > kLabelPrefix.size() &&
         attribute.substr(0, kLabelPrefix.size()) == kLabelPrefix;
}

// The position of the one operator in `text`, or npos when there is none or
// more than one ("a==b!=c" has no single reading).
size_t OperatorPosition(std::string_view text) {
  size_t equal = text.find("==");
  size_t unequal = text.find("!=");
  size_t at = std::min(equal, unequal);
  if (at == std::string_view::npos) return at;
  std::string_view rest = text.substr(at + 2);
  if (rest.find("==") != std::string_view::npos || rest.find("!=") != std::string_view::npos)
    return std::string_view::npos;
  return at;
}

}  // namespace

Result<Constraint> ParseConstraint(const std::string& text, const std::string& where) {
  std::string prefix = "invalid constraint \"" + text + "\": ";
  size_t at = OperatorPosition(text);
  std::string_view attribute =
      at == std::string::npos ? "" : Trim(std::string_view(text).substr(0, at));
  std::string_view value =
      at == std::string::npos ? "" : Trim(std::string_view(text).substr(at + 2));
  if (attribute.empty() || value.empty())
    return Error::Invalid(where, prefix + "expected <attribute>==<value> or <attribute>!=<value>");
  if (!KnownAttribute(attribute))
    return Error::Invalid(where, prefix + "unknown attribute \"" + std::string(attribute) +
                                     "\", expected node.hostname, node.labels.<key>, "
                                     "node.platform.os or node.platform.arch");
  Constraint constraint;
  constraint.attribute = std::string(attribute);
  constraint.equal = text.compare(at, 2, "==") == 0;
  constraint.value = std::string(value);
  constraint.text = text;
  return constraint;
}

}  // namespace baton::planner
