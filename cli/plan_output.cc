#include "cli/plan_output.h"

#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

namespace baton::cli {
namespace {

using planner::Action;
using planner::ActionKind;
using planner::Plan;

constexpr char kGreen[] = "\033[32m";
constexpr char kYellow[] = "\033[33m";
constexpr char kRed[] = "\033[31m";
constexpr char kCyan[] = "\033[36m";
constexpr char kReset[] = "\033[0m";

struct KindStyle {
  const char* key;      // JSON name
  const char* sign;     // first column of the text
  const char* verb;     // "create network"
  const char* color;    // ANSI colour
  const char* noun;     // for the summary: "" = a container, else "network", "image", ...
  const char* summary;  // the summary's verb: "create", "pull", ...
  const char* past;     // the report's: "created", "pulled", ...
};

const KindStyle& StyleOf(ActionKind kind) {
  static const KindStyle kCreateNetwork{"create_network", "+",      "create network", kGreen,
                                        "network",        "create", "created"};
  static const KindStyle kCreateVolume{"create_volume", "+",      "create volume", kGreen,
                                       "volume",        "create", "created"};
  static const KindStyle kPull{"pull_image", "↓", "pull image", kCyan, "image", "pull", "pulled"};
  static const KindStyle kPush{"push_image", "↑", "push image", kCyan, "image", "push", "pushed"};
  static const KindStyle kCreate{"create_container", "+",      "create", kGreen, "",
                                 "create",           "created"};
  static const KindStyle kRecreate{"recreate_container", "~",        "recreate", kYellow, "",
                                   "recreate",           "recreated"};
  static const KindStyle kStart{"start_container", ">", "start", kCyan, "", "start", "started"};
  static const KindStyle kStop{"stop_container", "■", "stop", kRed, "", "stop", "stopped"};
  static const KindStyle kRemove{"remove_container", "-", "remove", kRed, "", "remove", "removed"};
  static const KindStyle kRemoveNetwork{"remove_network", "-",      "remove network", kRed,
                                        "network",        "remove", "removed"};
  static const KindStyle kRemoveVolume{"remove_volume", "-",      "remove volume", kRed,
                                       "volume",        "remove", "removed"};
  static const KindStyle kRemoveImage{"remove_image", "-",      "remove image", kRed,
                                      "image",        "remove", "removed"};
  static const KindStyle kCreateNetd{"create_netd",    "+",      "netd",   kGreen,
                                     "network helper", "create", "created"};
  static const KindStyle kRecreateNetd{"recreate_netd",  "~",        "netd",     kYellow,
                                       "network helper", "recreate", "recreated"};
  static const KindStyle kRemoveNetd{"remove_netd",    "-",      "netd",   kRed,
                                     "network helper", "remove", "removed"};
  static const KindStyle kBuild{"build_image", "*", "build image", kCyan, "image", "build", "built"};
  static const KindStyle kUploadFiles{"upload_files", "↑",      "upload files", kCyan,
                                      "file copy",    "upload", "uploaded"};
  static const KindStyle kRemoveFiles{"remove_files", "-",      "remove files", kRed,
                                      "file copy",    "remove", "removed"};
  switch (kind) {
    case ActionKind::kBuildImage:
      return kBuild;
    case ActionKind::kUploadFiles:
      return kUploadFiles;
    case ActionKind::kRemoveFiles:
      return kRemoveFiles;
    case ActionKind::kCreateNetwork:
      return kCreateNetwork;
    case ActionKind::kCreateVolume:
      return kCreateVolume;
    case ActionKind::kPullImage:
      return kPull;
    case ActionKind::kPushImage:
      return kPush;
    case ActionKind::kCreateContainer:
      return kCreate;
    case ActionKind::kRecreateContainer:
      return kRecreate;
    case ActionKind::kStartContainer:
      return kStart;
    case ActionKind::kStopContainer:
      return kStop;
    case ActionKind::kRemoveContainer:
      return kRemove;
    case ActionKind::kRemoveNetwork:
      return kRemoveNetwork;
    case ActionKind::kRemoveVolume:
      return kRemoveVolume;
    case ActionKind::kRemoveImage:
      return kRemoveImage;
    case ActionKind::kCreateNetd:
      return kCreateNetd;
    case ActionKind::kRecreateNetd:
      return kRecreateNetd;
    case ActionKind::kRemoveNetd:
      return kRemoveNetd;
  }
  return kCreate;  // unreachable: every kind is listed above
}

// The kinds in the order the summary lists them: containers first.
constexpr ActionKind kSummaryOrder[] = {
    ActionKind::kCreateContainer, ActionKind::kRecreateContainer, ActionKind::kStartContainer,
    ActionKind::kStopContainer,   ActionKind::kRemoveContainer,   ActionKind::kBuildImage,
    ActionKind::kPullImage,       ActionKind::kUploadFiles,       ActionKind::kRemoveFiles,
    ActionKind::kPushImage,       ActionKind::kCreateNetwork,     ActionKind::kCreateVolume,
    ActionKind::kRemoveNetwork,   ActionKind::kRemoveVolume,      ActionKind::kRemoveImage,
    ActionKind::kCreateNetd,      ActionKind::kRecreateNetd,      ActionKind::kRemoveNetd,
};

bool IsFilesAction(ActionKind kind);

std::string ActionLine(const Action& action, const PlanTextOptions& options) {
  const KindStyle& style = StyleOf(action.kind);
  std::string line = ActionText(action, options.copy_labels);
  // An upload's reason is its copy's label, which ActionText already shows.
  auto label = options.copy_labels.find(action.name);
  bool said = IsFilesAction(action.kind) && label != options.copy_labels.end() &&
              label->second == action.reason;
  if (!action.reason.empty() && !said) line += " (" + action.reason + ")";
  std::string sign = style.sign;
  if (options.color) return "  " + std::string(style.color) + sign + " " + line + kReset + "\n";
  return "  " + sign + " " + line + "\n";
}

// The hosts in the order their first action appears (the plan groups by host).
std::vector<std::string> HostsInOrder(const Plan& plan) {
  std::vector<std::string> hosts;
  for (const Action& action : plan.actions)
    if (hosts.empty() || hosts.back() != action.host) {
      bool seen = false;
      for (const std::string& host : hosts) seen = seen || host == action.host;
      if (!seen) hosts.push_back(action.host);
    }
  return hosts;
}

std::string ActionsText(const Plan& plan, const PlanTextOptions& options) {
  std::string out;
  for (const std::string& host : HostsInOrder(plan)) {
    out += (host.empty() ? "local" : host) + ":\n";  // "": the local engine (--build-local)
    for (const Action& action : plan.actions)
      if (action.host == host) out += ActionLine(action, options);
  }
  return out;
}

std::string ProblemsText(const Plan& plan, const PlanTextOptions& options) {
  std::string out;
  if (!plan.errors.empty()) {
    out +=
        options.color ? std::string(kRed) + "cannot deploy:" + kReset + "\n" : "cannot deploy:\n";
    for (const std::string& error : plan.errors) out += "  " + error + "\n";
  }
  if (!plan.unplaced.empty()) {
    out += options.color ? std::string(kRed) + "cannot place:" + kReset + "\n" : "cannot place:\n";
    for (const planner::Unplaced& u : plan.unplaced)
      out += "  " + u.service + " replica " + std::to_string(u.slot) + ": " + u.reason + "\n";
  }
  if (!plan.unreachable_hosts.empty()) {
    out += options.color ? std::string(kYellow) + "unreachable:" + kReset + "\n" : "unreachable:\n";
    for (const std::string& host : plan.unreachable_hosts) {
      auto error = options.host_errors.find(host);
      out += "  " + host;
      if (error != options.host_errors.end() && !error->second.empty()) out += ": " + error->second;
      out += "\n";
    }
  }
  return out;
}

std::string NotesText(const Plan& plan) {
  std::string out;
  for (const std::string& note : plan.notes) out += "note: " + note + "\n";
  return out;
}

std::map<ActionKind, int> CountKinds(const Plan& plan) {
  std::map<ActionKind, int> counts;
  for (const Action& action : plan.actions) ++counts[action.kind];
  return counts;
}

// "3 to create" / "2 images to pull", or with `past` "3 created" / "2 images pulled".
std::string Counted(int count, const KindStyle& style, bool past) {
  std::string noun = style.noun;
  std::string verb = past ? std::string(style.past) : std::string("to ") + style.summary;
  if (noun.empty()) return std::to_string(count) + " " + verb;
  if (count != 1) noun = noun.back() == 'y' ? noun.substr(0, noun.size() - 1) + "ies" : noun + "s";
  return std::to_string(count) + " " + noun + " " + verb;
}

std::string Summary(const Plan& plan, bool past) {
  std::map<ActionKind, int> counts = CountKinds(plan);
  std::string out;
  for (ActionKind kind : kSummaryOrder) {
    auto count = counts.find(kind);
    if (count == counts.end()) continue;
    out += (out.empty() ? "" : ", ") + Counted(count->second, StyleOf(kind), past);
  }
  return out;
}

bool IsContainerAction(ActionKind kind) { return *StyleOf(kind).noun == '\0'; }

bool IsNetdAction(ActionKind kind) {
  return kind == ActionKind::kCreateNetd || kind == ActionKind::kRecreateNetd ||
         kind == ActionKind::kRemoveNetd;
}

bool IsFilesAction(ActionKind kind) {
  return kind == ActionKind::kUploadFiles || kind == ActionKind::kRemoveFiles;
}

// A digest's first 12 hex digits: enough to tell copies apart on a screen.
std::string ShortDigest(const std::string& digest) { return digest.substr(0, 12); }

nlohmann::json ActionJson(size_t index, const Action& action,
                          const std::map<std::string, std::string>& copy_labels) {
  nlohmann::json json = {{"index", index},
                         {"host", action.host},
                         {"kind", ActionKindKey(action.kind)},
                         {"name", action.name}};
  if (IsContainerAction(action.kind)) {
    json["service"] = action.service;
    json["slot"] = action.slot;
  }
  json["container_id"] = action.container_id;
  json["reason"] = action.reason;
  json["after"] = action.after;
  if (!action.subnet.empty()) json["subnet"] = action.subnet;
  if (action.kind == ActionKind::kPushImage) json["source_host"] = action.source_host;
  if (IsFilesAction(action.kind)) {
    auto label = copy_labels.find(action.name);
    if (label != copy_labels.end()) json["label"] = label->second;
  }
  return json;
}

}  // namespace

std::string ActionText(const Action& action,
                       const std::map<std::string, std::string>& copy_labels) {
  // One netd per host: its container name says nothing the host does not.
  if (IsNetdAction(action.kind)) return StyleOf(action.kind).verb;
  std::string verb = StyleOf(action.kind).verb;
  if (IsFilesAction(action.kind)) {
    auto label = copy_labels.find(action.name);
    std::string what = label == copy_labels.end() ? "" : label->second + " ";
    return verb + " " + what + ShortDigest(action.name);
  }
  std::string text = verb + " " + action.name;
  if (!action.subnet.empty()) text += " " + action.subnet;
  if (action.kind == ActionKind::kPushImage && !action.source_host.empty())
    text += " from " + action.source_host;
  return text;
}

std::map<std::string, std::string> CopyLabels(const planner::DesiredState& desired) {
  std::map<std::string, std::set<std::string>> distinct;
  for (const planner::ServiceSpec& service : desired.services)
    for (const planner::FileCopyUse& copy : service.content.copies)
      distinct[copy.digest].insert(copy.label);
  std::map<std::string, std::string> labels;
  for (const auto& [digest, names] : distinct) {
    std::string& label = labels[digest];
    for (const std::string& name : names) label += (label.empty() ? "" : ", ") + name;
  }
  return labels;
}

std::string ActionKindKey(ActionKind kind) { return StyleOf(kind).key; }

std::string PlanSummary(const Plan& plan) {
  return plan.empty() ? "no changes" : Summary(plan, false);
}

std::string AppliedSummary(const Plan& plan) {
  return plan.empty() ? "nothing changed" : Summary(plan, true);
}

std::string RenderPlanText(const Plan& plan, const PlanTextOptions& options) {
  return ActionsText(plan, options) + ProblemsText(plan, options) + NotesText(plan) +
         PlanSummary(plan) + "\n";
}

std::string RenderPlanJson(const Plan& plan, const std::map<std::string, std::string>& host_errors,
                           const std::map<std::string, std::string>& copy_labels) {
  nlohmann::json actions = nlohmann::json::array();
  for (size_t i = 0; i < plan.actions.size(); ++i)
    actions.push_back(ActionJson(i, plan.actions[i], copy_labels));
  nlohmann::json placement = nlohmann::json::array();
  for (const planner::Assignment& a : plan.placement)
    placement.push_back({{"service", a.service},
                         {"slot", a.slot},
                         {"host", a.host},
                         {"container", a.container_name}});
  nlohmann::json unplaced = nlohmann::json::array();
  for (const planner::Unplaced& u : plan.unplaced)
    unplaced.push_back({{"service", u.service}, {"slot", u.slot}, {"reason", u.reason}});
  nlohmann::json unreachable = nlohmann::json::array();
  for (const std::string& host : plan.unreachable_hosts) {
    auto error = host_errors.find(host);
    unreachable.push_back(
        {{"host", host}, {"error", error == host_errors.end() ? "" : error->second}});
  }
  nlohmann::json summary = nlohmann::json::object();
  for (const auto& [kind, count] : CountKinds(plan)) summary[ActionKindKey(kind)] = count;
  nlohmann::json root = {{"project", plan.project},          {"actions", actions},
                         {"placement", placement},           {"unplaced", unplaced},
                         {"unreachable_hosts", unreachable}, {"summary", summary},
                         {"subnets", plan.subnets},          {"errors", plan.errors},
                         {"notes", plan.notes}};
  // Names come from the hosts (container names, engine errors); replace
  // bytes that are not UTF-8 rather than throw.
  return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

bool UseColor(int fd) {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  return ::isatty(fd) == 1;
}

}  // namespace baton::cli
