// tests/reports/graphviz_render_test.cpp: in-process DOT -> SVG rendering and
// DOT validation through cgraph; escaping keeps hostile labels inert.
#include <gtest/gtest.h>

#include "reports/graphviz_render.hpp"
#include "reports/text_escape.hpp"
#include "xml_check.hpp"

namespace roomsim::reports {
namespace {

TEST(GraphvizRender, RendersWellFormedSvgWithTheLabels) {
  const std::string hostile = "room \"<lobby>\" & \\ co\nnext";
  const std::string dot = "digraph g { a [label=\"" + dot_escape(hostile) + "\"]; a -> b; }";
  ASSERT_TRUE(dot_parses(dot));
  const Picture p = render_dot("t", dot, "dot");
  ASSERT_TRUE(p.ok()) << p.error;
  const auto parsed = testing::parse_xml(p.svg);
  ASSERT_TRUE(parsed.ok()) << parsed.error;
  EXPECT_EQ(parsed.root.name, "svg");
  const std::string text = parsed.root.all_text();
  EXPECT_NE(text.find("room \"<lobby>\" & \\ co"), std::string::npos) << text;
  EXPECT_NE(svg_element(p.svg).find("<svg"), std::string::npos);
  EXPECT_EQ(svg_element(p.svg).substr(svg_element(p.svg).size() - 6), "</svg>");
}

TEST(GraphvizRender, RejectsBrokenDot) {
  std::string error;
  EXPECT_FALSE(dot_parses("digraph g { a -> ; }", &error));
  EXPECT_FALSE(error.empty());
  const Picture p = render_dot("t", "graph {", "dot");
  EXPECT_FALSE(p.ok());
  EXPECT_NE(p.error.find("does not parse"), std::string::npos) << p.error;
}

TEST(GraphvizRender, NeatoHonoursPinnedPositions) {
  const Picture p = render_dot("t", "graph g { a [pos=\"0,0!\"]; b [pos=\"300,0!\"]; a -- b; }", "neato");
  ASSERT_TRUE(p.ok()) << p.error;
  EXPECT_TRUE(testing::parse_xml(p.svg).ok());
}

TEST(TextEscape, XmlEscapeNeutralisesMarkupAndInvalidBytes) {
  EXPECT_EQ(xml_escape("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(xml_escape(std::string("a\x01z")), "a\xEF\xBF\xBDz");
  EXPECT_EQ(xml_escape(std::string("\xC3\xA9")), "\xC3\xA9");       // é stays
  EXPECT_EQ(xml_escape(std::string("\xC3")), "\xEF\xBF\xBD");        // truncated sequence
  EXPECT_EQ(xml_escape(std::string("\xC0\xAF")), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
  const auto parsed = testing::parse_xml("<a>" + xml_escape(std::string("x<&>\"\x02")) + "</a>");
  EXPECT_TRUE(parsed.ok()) << parsed.error;
}

TEST(TextEscape, DotEscapeKeepsQuotesInsideTheString) {
  EXPECT_EQ(dot_escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

}  // namespace
}  // namespace roomsim::reports
