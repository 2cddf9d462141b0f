// tests/properties/history_names_test.cpp: History's name interning: ids in
// first-intern order, stable across the index growing, find without interning.
#include <gtest/gtest.h>

#include <string>

#include "properties/history.hpp"

namespace roomsim::properties {
namespace {

TEST(HistoryNames, IdsFollowInternOrderAndStayStableAsTheIndexGrows) {
  History h;
  EXPECT_EQ(h.intern(""), kNoName);
  std::vector<NameId> ids;
  for (int i = 0; i < 5'000; ++i) ids.push_back(h.intern("client-" + std::to_string(i)));
  for (int i = 0; i < 5'000; ++i) {
    const std::string name = "client-" + std::to_string(i);
    EXPECT_EQ(ids[static_cast<size_t>(i)], static_cast<NameId>(i + 1));
    ASSERT_EQ(h.intern(name), ids[static_cast<size_t>(i)]) << name;
    ASSERT_EQ(h.name(ids[static_cast<size_t>(i)]), name);
  }
  EXPECT_EQ(h.name_count(), 5'001u);
}

TEST(HistoryNames, FindDoesNotIntern) {
  History h;
  const NameId a = h.intern("a long name that spans more than eight bytes");
  EXPECT_EQ(h.find("a long name that spans more than eight bytes"), a);
  EXPECT_EQ(h.find("a long name that spans more than eight bytez"), std::nullopt);
  EXPECT_EQ(h.find("a"), std::nullopt);
  EXPECT_EQ(h.find(""), kNoName);
  EXPECT_EQ(h.name_count(), 2u);
  // Names differing only in bytes past the first word, or by a NUL, are distinct.
  const NameId b = h.intern(std::string("x\0y", 3));
  const NameId c = h.intern(std::string("x\0z", 3));
  EXPECT_NE(b, c);
  EXPECT_EQ(h.intern(std::string("x\0y", 3)), b);
}

}  // namespace
}  // namespace roomsim::properties
