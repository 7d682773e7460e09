#include "planner/labels.h"

#include <catch2/catch.hpp>

namespace baton::planner::labels {
namespace {

TEST_CASE("labels: the slot is baton's label, else compose's container number",
          "[planner][labels]") {
  CHECK(SlotFromLabels({{kSlot, "3"}, {kContainerNumber, "1"}}) == 3);
  CHECK(SlotFromLabels({{kContainerNumber, "2"}}) == 2);
  CHECK(SlotFromLabels({}) == 0);
}

TEST_CASE("labels: a slot label that is not a positive number counts as none",
          "[planner][labels]") {
  CHECK(SlotFromLabels({{kSlot, "x"}, {kContainerNumber, "4"}}) == 4);
  CHECK(SlotFromLabels({{kSlot, "-1"}}) == 0);
  CHECK(SlotFromLabels({{kSlot, "2x"}}) == 0);
  CHECK(SlotFromLabels({{kSlot, "99999999999"}}) == 0);
}

}  // namespace
}  // namespace baton::planner::labels
