using Faasten.Fs.Records;
using Faasten.Labels;

namespace Faasten.Fs;

/// <summary>
/// One computation's floating label and owned privilege. Every monitor operation reads and
/// raises <see cref="Label"/>; only <see cref="Declassify"/> and <see cref="Endorse"/> lower
/// it, and only as far as <see cref="Privilege"/> allows (DESIGN §3 rule 6).
/// Not thread-safe: a computation issues its CloudCalls one at a time.
/// </summary>
public sealed class SecurityContext
{
    private Label? _highWater; // null while Label has never been lowered: then it is the high-water mark

    public SecurityContext(Component privilege, Label? start = null, TaintTrail? trail = null)
    {
        Privilege = privilege;
        Label = start ?? Label.Public;
        Trail = trail;
    }

    /// <summary>Where each raise of <see cref="Label"/> is noted, when someone asked (an invocation's record); null costs nothing.</summary>
    public TaintTrail? Trail { get; }

    public Label Label { get; private set; }

    public Component Privilege { get; private set; }

    /// <summary>
    /// The least upper bound of every label this computation has held. Declassify and endorse
    /// lower <see cref="Label"/>, never this: whatever ran the computation (a VM's memory) still
    /// holds what it read, so a VM is tagged with this mark when it goes back to the pool.
    /// </summary>
    public Label HighWater => _highWater ?? Label;

    /// <summary>
    /// The label an object created without an explicit label gets (DESIGN §5): the current
    /// secrecy, and the current integrity endorsed with the privilege, so what a computation
    /// creates is writable only by holders of its privilege, not by anyone.
    /// </summary>
    public Label DefaultCreateLabel => Label.Endorse(Privilege);

    /// <summary>Rule 1: <c>L := L ⊔ label</c>.</summary>
    /// <exception cref="LabelTooLargeException">
    /// The joined secrecy would exceed <see cref="LabelLimits"/>. The computation then fails
    /// closed: its label (and high-water mark) becomes <see cref="Label.Top"/>, the most secret,
    /// before the exception leaves. Leaving the label as it was would be unsound: the label being
    /// joined may itself depend on a secret (a reply's label depends on what the callee read and
    /// how it tainted itself), so a caller that stayed low would learn from the failure.
    /// </exception>
    public void Taint(Label label)
    {
        Label raised;
        try
        {
            raised = Label.Lub(label);
        }
        catch (LabelTooLargeException)
        {
            Label = Label.Top;
            _highWater = _highWater is null ? null : Label.Top;
            Trail?.Raised(Label.Top);
            throw;
        }

        if (_highWater is { } mark)
        {
            try
            {
                _highWater = mark.Lub(label);
            }
            catch (LabelTooLargeException)
            {
                _highWater = Label.Top;
            }
        }

        if (Trail is { } trail && !raised.Equals(Label))
        {
            trail.Raised(raised);
        }

        Label = raised;
    }

    /// <summary>
    /// Replaces the privilege with one it implies (sub_privilege): authority can only shrink
    /// during a computation, never grow. Returns false, changing nothing, otherwise.
    /// </summary>
    public bool NarrowPrivilege(Component privilege)
    {
        ArgumentNullException.ThrowIfNull(privilege);
        if (!Privilege.Implies(privilege))
        {
            return false;
        }

        Privilege = privilege;
        return true;
    }

    /// <summary>Rule 2: the computation may write an object labeled <paramref name="target"/>.</summary>
    public bool CanWrite(Label target) => Label.CanFlowTo(target, Privilege);

    /// <summary>
    /// Rule 7: a response carrying <paramref name="responseLabel"/> may leave for a requester
    /// with privilege <paramref name="privilege"/> iff it flows to the request's label under it.
    /// The gateway, the async-result fetch and the event server all release through here.
    /// </summary>
    public static bool CanRelease(Label responseLabel, Label requestLabel, Component privilege) =>
        responseLabel.CanFlowTo(requestLabel, privilege);

    /// <summary>Rule 6: lower secrecy to <paramref name="secrecy"/> iff (s ∧ P) ⇒ L.S.</summary>
    /// <exception cref="LabelTooLargeException">s ∧ P or the new label would exceed the limits; nothing changes.</exception>
    public bool Declassify(Component secrecy)
    {
        if (!secrecy.And(Privilege).Implies(Label.Secrecy))
        {
            return false;
        }

        _highWater ??= Label;
        Label = new Label(secrecy, Label.Integrity);
        return true;
    }

    /// <summary>Rule 6: vouch for the computation's integrity with its own privilege.</summary>
    public void Endorse()
    {
        _highWater ??= Label;
        Label = Label.Endorse(Privilege);
    }

    public override string ToString() => $"label {Label}, privilege {Privilege}";
}
