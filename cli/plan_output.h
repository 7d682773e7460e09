#pragma once
// How `baton plan` (and `up`, before it applies) shows a planner::Plan:
// as text for people, or as JSON for scripts.
//
// Text: the actions of each host under "HOST:", one per line with a sign,
//   lab1:
//     + netd (cluster networking)
//     + create network shop_back 10.210.3.0/24
//     ↓ pull image baton/busybox:lab
//     + create shop-web-2
//     ~ recreate shop-api-1 (environment changed)
//     - remove shop-worker-3 (scaled down)
//     * build image shop-web:baton-0123456789ab
//     ↑ push image shop-web:baton-0123456789ab from lab1
//     ↑ upload files ./nginx/nginx.conf 0123456789ab
//     - remove files ./site 89abcdef0123 (no longer used)
// (a spanned network shows its slice of the cluster; the host's network
// helper shows as "netd": "~ netd (config changed)", "- netd"), then what
// stops the deploy ("cannot deploy:", Plan::errors), the replicas that fit
// nowhere ("cannot place:"), the hosts that could
// not be reached ("unreachable:"), the notes ("note: services.traefik.
// volumes[0]: /var/run/docker.sock is a path on each host ..."), and a summary line ("3 to create, 1 to
// recreate, 1 to remove", or "no changes"). With colour, creations are green,
// recreations yellow, removals and stops red, pulls, pushes and starts cyan.
//
// JSON (stable; new keys may be added, none removed or renamed):
//   {"project": "shop",
//    "actions": [{"index": 0, "host": "lab1", "kind": "create_container",
//                 "service": "web", "slot": 2, "name": "shop-web-2",
//                 "container_id": "", "reason": "", "after": [0]}, ...],
//                 (create_network of a spanned network adds "subnet": "10.210.3.0/24",
//                  push_image adds "source_host": "lab1" ("" = the local engine),
//                  upload_files and remove_files add "label": "./nginx/nginx.conf"
//                  when the copy is in the compose file)
//    "placement": [{"service": "web", "slot": 1, "host": "lab1",
//                   "container": "shop-web-1"}, ...],
//    "unplaced": [{"service": "db", "slot": 1, "reason": "0/3 hosts: ..."}],
//    "unreachable_hosts": [{"host": "lab3", "error": "..."}],
//    "summary": {"create_container": 1, ...},   // only kinds that occur
//    "subnets": {"lab1": {"shop_back": "10.210.3.0/24"}},
//    "errors": ["cluster address space 10.210.0.0/16 has no free /24 ..."],
//    "notes": ["services.traefik.volumes[0]: /var/run/docker.sock is a path ..."]}
// "kind" is one of ActionKindKey's names; "service" and "slot" are present
// for container actions only.

#include <map>
#include <string>

#include "planner/plan.h"

namespace baton::cli {

struct PlanTextOptions {
  bool color = false;
  // Why each unreachable host could not be reached, by host name.
  std::map<std::string, std::string> host_errors;
  // What each copy of project files holds, by digest (CopyLabels).
  std::map<std::string, std::string> copy_labels;
};

std::string RenderPlanText(const planner::Plan& plan, const PlanTextOptions& options);
std::string RenderPlanJson(const planner::Plan& plan,
                           const std::map<std::string, std::string>& host_errors,
                           const std::map<std::string, std::string>& copy_labels = {});

// The label of every copy of project files the desired state uses, by its
// digest: "./nginx/nginx.conf", "config app-config"; a digest several
// mounts share gets their distinct labels joined with ", ".
std::map<std::string, std::string> CopyLabels(const planner::DesiredState& desired);

// "3 to create, 1 to recreate, 2 images to pull", or "no changes".
std::string PlanSummary(const planner::Plan& plan);
// The same once applied: "3 created, 1 recreated, 2 images pulled", or
// "nothing changed".
std::string AppliedSummary(const planner::Plan& plan);

// The words an action is shown with: "create network shop_default",
// "create network shop_back 10.210.3.0/24", "pull image x", "create
// shop-web-2", "recreate shop-api-1", "netd", "push image x from lab1",
// "upload files ./nginx/nginx.conf 0123456789ab" (the copy's label from
// `copy_labels` when known, then the first 12 hex digits of its digest).
std::string ActionText(const planner::Action& action,
                       const std::map<std::string, std::string>& copy_labels = {});
// "create_network", "pull_image", "create_container", "create_netd", ...:
// the JSON names.
std::string ActionKindKey(planner::ActionKind kind);

// Whether output to `fd` may be coloured: it is a terminal and NO_COLOR is
// unset or empty.
bool UseColor(int fd);

}  // namespace baton::cli
