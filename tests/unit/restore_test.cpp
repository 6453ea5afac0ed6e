#include <gtest/gtest.h>

#include "swapns/restore.hpp"

using namespace swapns;

// CRIU's message when a task's PID is taken on the restoring machine gets the reason and
// what to do; other messages get nothing added.
TEST(Restore, HintForATakenPid)
{
	auto hint = criu_restore_hint("Error (criu/cr-restore.c:1469): Can't fork for 79: File exists");
	EXPECT_NE(hint.find("PID 79 is in use"), std::string::npos) << hint;
	EXPECT_NE(hint.find("PID namespace of its own"), std::string::npos) << hint;
	EXPECT_EQ(criu_restore_hint("Error (criu/cr-restore.c:1469): Can't fork for 79: Resource temporarily unavailable"), "");
	EXPECT_EQ(criu_restore_hint("Error (criu/files.c:1212): Can't open file"), "");
	EXPECT_EQ(criu_restore_hint("Can't fork for : File exists"), "");
	EXPECT_EQ(criu_restore_hint(""), "");
}
