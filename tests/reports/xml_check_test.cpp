// tests/reports/xml_check_test.cpp: the test-side XML checker must reject
// malformed documents, or every "is well-formed" assertion is worthless.
#include <gtest/gtest.h>

#include "xml_check.hpp"

namespace roomsim::reports::testing {
namespace {

TEST(XmlCheck, AcceptsDeclarationDoctypeCommentsAndEntities) {
  const XmlParse p = parse_xml(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x.dtd\">\n"
      "<!-- c --><a x='1' y=\"&lt;&#65;&#x42;\"><b/>t&amp;u<![CDATA[<raw>]]></a>\n");
  ASSERT_TRUE(p.ok()) << p.error;
  EXPECT_EQ(p.root.name, "a");
  EXPECT_EQ(p.root.attributes.at("y"), "<AB");
  EXPECT_EQ(p.root.text, "t&u<raw>");
  ASSERT_EQ(p.root.children.size(), 1u);
  EXPECT_EQ(p.root.children[0].name, "b");
}

TEST(XmlCheck, RejectsMalformedDocuments) {
  const char* bad[] = {
      "",                               // no root
      "<a>",                            // unclosed
      "<a></b>",                        // mismatched
      "<a x=1/>",                       // unquoted attribute
      "<a x='1' x='2'/>",               // duplicate attribute
      "<a>&nbsp;</a>",                  // undeclared entity
      "<a>a & b</a>",                   // bare ampersand
      "<a><b></a></b>",                 // interleaved
      "<a/><b/>",                       // two roots
      "<a/>text",                       // text after root
      "<a x='<'/>",                     // '<' in attribute
      "<a><!-- a -- b --></a>",         // '--' in comment
      "<a><b x='1'y='2'/></a>",         // missing space between attributes
  };
  for (const char* doc : bad) {
    EXPECT_FALSE(parse_xml(doc).ok()) << "accepted: " << doc;
  }
}

}  // namespace
}  // namespace roomsim::reports::testing
