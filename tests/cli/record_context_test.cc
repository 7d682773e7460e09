// What the deploy commands decide about the desired-state record before
// writing it (cli/record_context.h): whether anything new is asked for, and
// which services a plan starts.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "cli/record_context.h"

namespace baton::cli {
namespace {

planner::DesiredRecord Record() {
  planner::DesiredRecord record;
  record.project = "shop";
  record.generation = 4;
  record.scale["web"] = {3, 1, planner::ScaleSource::kScale, "baton scale web=3 by a@b pid 1"};
  record.placement["web"] = {{1, "lab1"}, {2, "lab2"}, {3, "lab3"}};
  record.written_by = "a@b pid 1";
  record.written_at = "2026-11-29T05:00:00Z";
  return record;
}

planner::Action ActionOf(planner::ActionKind kind, const std::string& service) {
  planner::Action action{};
  action.kind = kind;
  action.service = service;
  return action;
}

TEST_CASE("record: another writer, time and generation ask for nothing new", "[cli][record]") {
  planner::DesiredRecord later = Record();
  later.generation = 5;
  later.written_by = "c@d pid 2";
  later.written_at = "2026-11-29T06:00:00Z";
  later.baton_version = "0.2.0";
  CHECK(SameDesired(Record(), later));
}

TEST_CASE("record: a changed count or placement is something new", "[cli][record]") {
  planner::DesiredRecord scaled = Record();
  scaled.scale["web"].replicas = 4;
  CHECK_FALSE(SameDesired(Record(), scaled));
  planner::DesiredRecord moved = Record();
  moved.placement["web"][3] = "lab1";
  CHECK_FALSE(SameDesired(Record(), moved));
}

TEST_CASE("record: the services a plan starts are those it creates, recreates or starts",
          "[cli][record]") {
  planner::Plan plan;
  plan.actions = {ActionOf(planner::ActionKind::kStartContainer, "web"),
                  ActionOf(planner::ActionKind::kRemoveContainer, "db"),
                  ActionOf(planner::ActionKind::kCreateContainer, "api"),
                  ActionOf(planner::ActionKind::kRecreateContainer, "web"),
                  ActionOf(planner::ActionKind::kStopContainer, "cache")};
  CHECK(StartedServices(plan) == std::vector<std::string>{"api", "web"});
}

}  // namespace
}  // namespace baton::cli
