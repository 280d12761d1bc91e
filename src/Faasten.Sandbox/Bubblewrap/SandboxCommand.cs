using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Faasten.Sandbox.Vm;

namespace Faasten.Sandbox.Bubblewrap;

/// <summary>
/// The command line of one VM: <c>sh</c> (enter the VM's cgroups) → [<c>prlimit</c> when there
/// are no cgroups] → <c>setpriv</c> (drop to the sandbox user) → <c>bwrap</c> (namespaces and mounts) →
/// <c>python3</c> running the runtime.
/// </summary>
internal static class SandboxCommand
{
    public const string RuntimeMount = "/runtime";
    public const string ImageMount = "/srv";
    public const string ChannelMount = "/run/faasten";
    private const string SetprivPath = "/usr/bin/setpriv";
    private const string PrlimitPath = "/usr/bin/prlimit";
    private const int FallbackUserIdBase = 2_000_000_000;
    private const int FallbackUserIdCount = 1_000_000;

    // Arguments up to "--" are cgroup.procs files the shell enters (its pid survives exec).
    private const string Launcher =
        "exec 2>&1\n" +
        "for f; do [ \"$f\" = -- ] && break; echo $$ > \"$f\" || exit 125; shift; done; shift\n" +
        "exec \"$@\" </dev/null\n";

    /// <param name="template">
    /// Launch a VM template (faasten_runtime/template.py) instead of a VM: it keeps
    /// CAP_SYS_ADMIN, CAP_SETPCAP and CAP_NET_ADMIN inside the sandbox's user namespace, which its
    /// children need to enter namespaces of their own and then drop, and connects to the channel
    /// socket as its control channel. Needs cgroups: children are placed in cgroups by pid.
    /// </param>
    public static ProcessStartInfo Create(BubblewrapOptions options, VmSpec spec, string channelDirectory, VmCgroup? cgroup, bool template = false)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            // stderr joins stdout in the script: one pipe to drain per VM.
            RedirectStandardOutput = true,
        };
        // Nothing of the host's environment reaches the launcher (bwrap also clears it).
        info.Environment.Clear();
        info.Environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";

        var args = info.ArgumentList;
        args.Add("-c");
        args.Add(Launcher);
        args.Add("faasten-vm");
        foreach (var file in cgroup?.ProcsFiles ?? [])
        {
            args.Add(file);
        }
        args.Add("--");
        var uid = options.SandboxUserId;
        if (cgroup is null)
        {
            // Fallback limits. RLIMIT_AS caps address space, not resident memory, so it is
            // stricter than the cgroup. RLIMIT_NPROC counts every process of a user, so each
            // VM runs as a user of its own, drawn from a range no account uses.
            args.Add(PrlimitPath);
            args.Add($"--as={(long)spec.MemoryMb * 1024 * 1024}");
            if (uid is not null)
            {
                uid = FallbackUserIdBase + RandomNumberGenerator.GetInt32(FallbackUserIdCount);
                args.Add($"--nproc={options.MaxProcesses}");
            }
            args.Add("--");
        }
        if (uid is int id)
        {
            var text = id.ToString(CultureInfo.InvariantCulture);
            args.Add(SetprivPath);
            args.Add($"--reuid={text}");
            args.Add($"--regid={text}");
            args.Add("--clear-groups");
            args.Add("--");
        }
        args.Add(options.BwrapPath);
        AddBwrapArguments(args, options, spec, channelDirectory, template);
        args.Add(options.PythonPath);
        args.Add("-I"); // isolated: no PYTHON* variables, no user site, no script directory
        args.Add("-S"); // no site module: the runtime adds the package directories itself
        args.Add("-B"); // the image is read-only; never try to write .pyc files
        args.Add($"{RuntimeMount}/faasten_runtime/main.py");
        if (template)
        {
            args.Add("--template");
        }
        args.Add($"{ChannelMount}/{Channel.ChannelListener.SocketName}");
        args.Add($"{ImageMount}/workload.py");
        if (template)
        {
            args.Add(options.TmpSizeBytes.ToString(CultureInfo.InvariantCulture));
        }
        return info;
    }

    private static void AddBwrapArguments(IList<string> args, BubblewrapOptions options, VmSpec spec, string channelDirectory, bool template)
    {
        string[] isolation =
        [
            "--unshare-all", // user (try), ipc, pid, net, uts, cgroup (try)
            "--unshare-user", // required, not "try": we never run a sandbox without it
            "--disable-userns", // no nested user namespaces inside
            "--die-with-parent",
            "--new-session",
            "--hostname", "faasten",
            "--clearenv",
            "--setenv", "PATH", "/usr/bin:/bin",
            "--setenv", "HOME", "/tmp",
            "--setenv", "TMPDIR", "/tmp",
            "--setenv", "LANG", "C.UTF-8",
        ];
        foreach (var arg in isolation)
        {
            args.Add(arg);
        }
        string[] capabilities = template
            ? ["--cap-add", "CAP_SYS_ADMIN", "--cap-add", "CAP_SETPCAP", "--cap-add", "CAP_NET_ADMIN"]
            : ["--cap-drop", "ALL"];
        foreach (var arg in capabilities)
        {
            args.Add(arg);
        }

        // System files: /usr read-only, plus the merged-/usr symlinks or directories.
        Add(args, "--ro-bind", "/usr", "/usr");
        foreach (var name in new[] { "bin", "sbin", "lib", "lib32", "lib64", "libx32" })
        {
            var path = "/" + name;
            var info = new FileInfo(path);
            if (info.LinkTarget is string target)
            {
                Add(args, "--symlink", target, path);
            }
            else if (Directory.Exists(path))
            {
                Add(args, "--ro-bind", path, path);
            }
        }
        Add(args, "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache");

        args.Add("--proc");
        args.Add("/proc");
        args.Add("--dev");
        args.Add("/dev");
        // Device nodes stay usable; nothing can be created under /dev (no writable /dev/shm).
        args.Add("--remount-ro");
        args.Add("/dev");
        args.Add("--size");
        args.Add(options.TmpSizeBytes.ToString(CultureInfo.InvariantCulture));
        args.Add("--tmpfs");
        args.Add("/tmp");

        Add(args, "--ro-bind", options.RuntimeDirectory, RuntimeMount);
        Add(args, "--ro-bind", spec.ImageDirectory, ImageMount);
        Add(args, "--ro-bind", channelDirectory, ChannelMount);
        args.Add("--chdir");
        args.Add("/tmp");
        // bwrap's own root is a writable tmpfs; seal it last.
        args.Add("--remount-ro");
        args.Add("/");
    }

    private static void Add(IList<string> args, string op, string source, string destination)
    {
        args.Add(op);
        args.Add(source);
        args.Add(destination);
    }
}
