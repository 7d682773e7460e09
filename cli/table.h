#pragma once
// Plain text tables for command output (`hosts ls`, `hosts check`, `ps`).

#include <string>
#include <vector>

namespace baton::cli {

// One line per row, columns padded to their widest cell and two spaces
// apart; the last column is not padded and trailing spaces are dropped.
// Widths count bytes, so cells are expected to be ASCII.
std::string RenderTable(const std::vector<std::vector<std::string>>& rows);

}  // namespace baton::cli
