#include "swapns/criu_service.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criu/rpc.pb-c.h>

#include <cctype>
#include <memory>
#include <vector>

#include "swapns/unique_fd.hpp"

namespace swapns {

namespace {

// The swrk child: nothing of ours but the socket, the default signal mask, and death with us.
constexpr int exit_no_cgroup = 125;

[[noreturn]] void exec_swrk(const std::string& criu, int sock, pid_t parent, const std::string& cgroup)
{
	::prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (::getppid() != parent)
		::_exit(127); // the parent died before the line above
	if (!cgroup.empty()) {
		std::string procs = cgroup + "/cgroup.procs";
		int fd = ::open(procs.c_str(), O_WRONLY | O_CLOEXEC);
		if (fd < 0 || ::write(fd, "0", 1) != 1)
			::_exit(exit_no_cgroup);
		::close(fd);
	}
	sigset_t none;
	sigemptyset(&none);
	::sigprocmask(SIG_SETMASK, &none, nullptr);
	::syscall(SYS_close_range, 3u, ~0u, CLOSE_RANGE_CLOEXEC);
	int fd = ::fcntl(sock, F_DUPFD, 3); // without FD_CLOEXEC: CRIU's end of the pair
	if (fd < 0)
		::_exit(127);
	std::string fdnum = std::to_string(fd);
	::execlp(criu.c_str(), criu.c_str(), "swrk", fdnum.c_str(), static_cast<char*>(nullptr));
	::_exit(127);
}

Result<bool> send_req(int sock, const CriuReq& req)
{
	std::vector<uint8_t> buf(criu_req__get_packed_size(&req));
	criu_req__pack(&req, buf.data());
	if (::send(sock, buf.data(), buf.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(buf.size()))
		return Error::from_errno("sending a request to criu");
	return true;
}

struct RespDeleter {
	void operator()(CriuResp* r) const { criu_resp__free_unpacked(r, nullptr); }
};
using Resp = std::unique_ptr<CriuResp, RespDeleter>;

// The next message, or nullptr when CRIU closed its end (it exited).
Result<Resp> recv_resp(int sock)
{
	for (;;) {
		ssize_t len = ::recv(sock, nullptr, 0, MSG_PEEK | MSG_TRUNC);
		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0)
			return Error::from_errno("receiving criu's answer");
		if (len == 0)
			return Resp();
		std::vector<uint8_t> buf(static_cast<size_t>(len));
		ssize_t got = ::recv(sock, buf.data(), buf.size(), 0);
		if (got < 0 && errno == EINTR)
			continue;
		if (got != len)
			return Error::from_errno("receiving criu's answer");
		CriuResp* r = criu_resp__unpack(nullptr, buf.size(), buf.data());
		if (!r)
			return Error(EPROTO, "criu's answer is not a criu_resp message");
		return Resp(r);
	}
}

std::string describe_status(int status)
{
	if (WIFEXITED(status))
		return "exited with status " + std::to_string(WEXITSTATUS(status));
	if (WIFSIGNALED(status))
	{
		const char* name = ::sigabbrev_np(WTERMSIG(status)); // NULL for real-time signals
		return "was killed by signal " + (name ? std::string("SIG") + name : std::to_string(WTERMSIG(status)));
	}
	return "stopped";
}

} // namespace

Result<CriuAnswer> call_criu(const CriuRequest& request, const std::string& criu)
{
	int sks[2];
	if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sks) < 0)
		return Error::from_errno("creating a socket pair for criu");
	UniqueFd ours(sks[0]), theirs(sks[1]);
	pid_t parent = ::getpid();
	pid_t child = ::fork();
	if (child < 0)
		return Error::from_errno("starting criu");
	if (child == 0)
		exec_swrk(criu, theirs.get(), parent, request.join_cgroup);
	theirs.reset();

	CriuOpts opts = CRIU_OPTS__INIT;
	opts.images_dir_fd = request.images_dir_fd;
	if (request.work_dir_fd >= 0) {
		opts.has_work_dir_fd = true;
		opts.work_dir_fd = request.work_dir_fd;
	}
	if (request.kind == CriuRequest::Kind::dump) {
		opts.has_pid = true;
		opts.pid = request.pid;
	}
	opts.has_log_level = true;
	opts.log_level = request.log_level;
	std::string log_file = request.log_file, freeze = request.freeze_cgroup, config = request.config_file;
	if (!log_file.empty())
		opts.log_file = log_file.data();
	if (request.leave_running) {
		opts.has_leave_running = true;
		opts.leave_running = true;
	}
	if (request.shell_job) {
		opts.has_shell_job = true;
		opts.shell_job = true;
	}
	if (!freeze.empty())
		opts.freeze_cgroup = freeze.data();
	if (request.restore_sibling) {
		opts.has_rst_sibling = true;
		opts.rst_sibling = true;
	}
	if (!config.empty())
		opts.config_file = config.data();
	CriuReq req = CRIU_REQ__INIT;
	req.type = request.kind == CriuRequest::Kind::dump ? CRIU_REQ_TYPE__DUMP : CRIU_REQ_TYPE__RESTORE;
	req.opts = &opts;

	CriuAnswer answer;
	Result<bool> sent = send_req(ours.get(), req);
	bool answered = false;
	if (sent) {
		for (;;) {
			auto resp = recv_resp(ours.get());
			if (!resp) {
				sent = resp.error();
				break;
			}
			if (!*resp)
				break; // criu exited
			if ((*resp)->type == CRIU_REQ_TYPE__NOTIFY) {
				// No action scripts are asked for; acknowledge whatever comes.
				CriuReq ack = CRIU_REQ__INIT;
				ack.type = CRIU_REQ_TYPE__NOTIFY;
				ack.has_notify_success = true;
				ack.notify_success = true;
				if (auto r = send_req(ours.get(), ack); !r) {
					sent = r.error();
					break;
				}
				continue;
			}
			answered = true;
			answer.success = (*resp)->success;
			if ((*resp)->has_cr_errno)
				answer.cr_errno = (*resp)->cr_errno;
			if ((*resp)->cr_errmsg) {
				answer.cr_errmsg = (*resp)->cr_errmsg; // CRIU's last error line, with its newline
				while (!answer.cr_errmsg.empty() && std::isspace(static_cast<unsigned char>(answer.cr_errmsg.back())))
					answer.cr_errmsg.pop_back();
			}
			if ((*resp)->restore)
				answer.restored_pid = (*resp)->restore->pid;
			break;
		}
	}
	ours.reset(); // criu swrk exits when its end closes
	int status = 0;
	while (::waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (!sent)
		return sent.error();
	if (!answered && WIFEXITED(status) && WEXITSTATUS(status) == exit_no_cgroup)
		return Error::refusal(EACCES, "criu could not be started in cgroup " + request.join_cgroup);
	if (!answered)
		return Error::refusal(EPROTO, "criu " + describe_status(status) + " without answering" +
						      (WIFEXITED(status) && WEXITSTATUS(status) == 127
							       ? " (is '" + criu + "' installed?)"
							       : ""));
	return answer;
}

} // namespace swapns
