#include "planner/labels.h"

#include <charconv>

namespace baton::planner::labels {
namespace {

int PositiveNumber(const std::map<std::string, std::string>& labels, const char* key) {
  auto found = labels.find(key);
  if (found == labels.end()) return 0;
  const std::string& text = found->second;
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() && value > 0 ? value : 0;
}

}  // namespace

int SlotFromLabels(const std::map<std::string, std::string>& labels) {
  if (int slot = PositiveNumber(labels, kSlot)) return slot;
  return PositiveNumber(labels, kContainerNumber);
}

}  // namespace baton::planner::labels
