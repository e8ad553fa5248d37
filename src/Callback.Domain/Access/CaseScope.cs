using System.Linq.Expressions;
using System.Reflection;
using Callback.Domain.Cases;
using Callback.Domain.Units;
using Callback.Domain.Workflow;

namespace Callback.Domain.Access;

/// <summary>
/// The scope rule, written once: an Officer sees the cases of their unit, a Supervisor or Dispatcher those of their
/// département, an Admin and the system all. The same expression filters queries (so nothing outside the scope is ever
/// read) and, compiled once, answers in-memory checks (a change notification, a unit in a form).
/// </summary>
/// <remarks>
/// The rule is one lambda over the grant and a unit's two facts. For a query it is specialised to one actor: the parts
/// that depend only on the grant are decided here, so an officer's query says <c>UnitId = @p</c> and no more, exactly
/// as the hand-written filters did (the queue at a million cases is benchmarked, and an <c>@all OR ...</c> predicate
/// would defeat its index). What stays is a member of the grant object, which EF Core sends as a parameter: one cached
/// query plan for every unit, not one per unit.
/// </remarks>
public static class CaseScope
{
    private static readonly Expression<Func<ScopeGrant, int, string, bool>> Rule = (grant, unitId, departement) =>
        grant.Everything
        || (grant.Departement != null && departement == grant.Departement)
        || (grant.UnitId != null && unitId == grant.UnitId.Value);

    private static readonly Func<ScopeGrant, int, string, bool> Compiled = Rule.Compile();

    private static readonly ConstantExpression True = Expression.Constant(true);
    private static readonly ConstantExpression False = Expression.Constant(false);

    /// <summary>The cases <paramref name="actor"/> may see, as a predicate EF Core translates (on SQLite and PostgreSQL).</summary>
    public static Expression<Func<Case, bool>> For(Actor actor)
    {
        var c = Expression.Parameter(typeof(Case), "c");
        // The unit id is the case's own column: an officer's filter needs no join to Units.
        var body = Specialise(ScopeGrant.Of(actor), Expression.Property(c, nameof(Case.UnitId)),
            Expression.Property(Expression.Property(c, nameof(Case.Unit)), nameof(Unit.Departement)));
        return Expression.Lambda<Func<Case, bool>>(body, c);
    }

    /// <summary>
    /// The cases that every actor whose grant has the shape of <paramref name="actor"/>'s may see (an officer's unit, a
    /// supervisor's département, everything, nothing), with what the shape leaves open as parameters: the grant's unit id
    /// and département, for a query compiled once per shape (EF Core binds a compiled query's scalar parameters only).
    /// The same rule, specialised the same way as <see cref="For"/>: an officer's compiled query says <c>UnitId = @p</c>.
    /// </summary>
    public static Expression<Func<Case, int, string?, bool>> ForShapeOf(Actor actor)
    {
        var shape = ScopeGrant.Of(actor).Shape();
        var c = Expression.Parameter(typeof(Case), "c");
        var unitId = Expression.Parameter(typeof(int), "grantUnitId");
        var departement = Expression.Parameter(typeof(string), "grantDepartement");
        var body = Specialise(shape, Expression.Property(c, nameof(Case.UnitId)),
            Expression.Property(Expression.Property(c, nameof(Case.Unit)), nameof(Unit.Departement)));
        // What the shape did not decide is read off the grant: off the parameters now, not the shape's stand-in.
        body = new Substitution(e => e switch
        {
            MemberExpression { Member.Name: nameof(Nullable<int>.Value), Expression: MemberExpression { Member.Name: nameof(ScopeGrant.UnitId), Expression: ConstantExpression { Value: var g } } }
                when ReferenceEquals(g, shape) => unitId,
            MemberExpression { Member.Name: nameof(ScopeGrant.Departement), Expression: ConstantExpression { Value: var g } } when ReferenceEquals(g, shape) => departement,
            ConstantExpression { Value: var g } when ReferenceEquals(g, shape) =>
                throw new InvalidOperationException("The scope rule reads the grant in a way a compiled query cannot bind."),
            _ => null,
        }).Visit(body)!;
        return Expression.Lambda<Func<Case, int, string?, bool>>(body, c, unitId, departement);
    }

    /// <summary>The units <paramref name="actor"/> may see, as a predicate EF Core translates.</summary>
    public static Expression<Func<Unit, bool>> ForUnits(Actor actor)
    {
        var u = Expression.Parameter(typeof(Unit), "u");
        var body = Specialise(ScopeGrant.Of(actor), Expression.Property(u, nameof(Unit.Id)), Expression.Property(u, nameof(Unit.Departement)));
        return Expression.Lambda<Func<Unit, bool>>(body, u);
    }

    /// <summary>Whether <paramref name="actor"/> sees everything, so that a query about more than cases need not be filtered at all.</summary>
    public static bool SeesEverything(Actor actor) => ScopeGrant.Of(actor).Everything;

    /// <summary>The in-memory check: whether <paramref name="actor"/> may see the cases of the unit with this id and département.</summary>
    public static bool Allows(Actor actor, int unitId, string departement) => Compiled(ScopeGrant.Of(actor), unitId, departement);

    /// <summary>
    /// Keeps the cases <paramref name="actor"/> may see. Everything is no filter at all, and nothing is <c>WHERE 0</c>,
    /// as before the rule had one home.
    /// </summary>
    public static IQueryable<Case> InScopeOf(this IQueryable<Case> cases, Actor actor)
    {
        var predicate = For(actor);
        return predicate.Body is ConstantExpression { Value: true } ? cases : cases.Where(predicate);
    }

    private static Expression Specialise(ScopeGrant grant, Expression unitId, Expression departement)
    {
        var specialiser = new Specialiser(Rule.Parameters[0], grant, new Dictionary<ParameterExpression, Expression>
        {
            [Rule.Parameters[1]] = unitId,
            [Rule.Parameters[2]] = departement,
        });
        return specialiser.Visit(Rule.Body);
    }

    /// <summary>Replaces each node for which <paramref name="replacement"/> has another.</summary>
    private sealed class Substitution(Func<Expression, Expression?> replacement) : ExpressionVisitor
    {
        public override Expression? Visit(Expression? node) => node is not null && replacement(node) is { } other ? other : base.Visit(node);
    }

    /// <summary>
    /// Puts the grant into the rule and folds what it decides: <c>grant.Everything</c> and <c>grant.X != null</c> become
    /// constants and the <c>||</c>/<c>&amp;&amp;</c> around them collapse. Comparisons with a column are left for EF.
    /// </summary>
    private sealed class Specialiser(ParameterExpression grantParameter, ScopeGrant grant, Dictionary<ParameterExpression, Expression> facts) : ExpressionVisitor
    {
        private readonly ConstantExpression _grant = Expression.Constant(grant);

        protected override Expression VisitParameter(ParameterExpression node) =>
            node == grantParameter ? _grant : facts.GetValueOrDefault(node, node);

        protected override Expression VisitMember(MemberExpression node)
        {
            var visited = node.Update(Visit(node.Expression));
            return node.Type == typeof(bool) && TryEvaluate(visited, out var value) ? Expression.Constant(value) : visited;
        }

        protected override Expression VisitBinary(BinaryExpression node)
        {
            var left = Visit(node.Left);
            var right = Visit(node.Right);
            switch (node.NodeType)
            {
                case ExpressionType.OrElse:
                    return IsConstant(left, true) || IsConstant(right, true) ? True
                        : IsConstant(left, false) ? right
                        : IsConstant(right, false) ? left
                        : node.Update(left, node.Conversion, right);
                case ExpressionType.AndAlso:
                    return IsConstant(left, false) || IsConstant(right, false) ? False
                        : IsConstant(left, true) ? right
                        : IsConstant(right, true) ? left
                        : node.Update(left, node.Conversion, right);
                case ExpressionType.Equal or ExpressionType.NotEqual when TryEvaluate(left, out var a) && TryEvaluate(right, out var b):
                    return Expression.Constant(Equals(a, b) == (node.NodeType == ExpressionType.Equal));
                default:
                    return node.Update(left, node.Conversion, right);
            }
        }

        private static bool IsConstant(Expression e, bool value) => e is ConstantExpression { Value: bool b } && b == value;

        // Only constants and members read off them: whatever touches a column is not known here.
        private static bool TryEvaluate(Expression e, out object? value)
        {
            switch (e)
            {
                case ConstantExpression constant:
                    value = constant.Value;
                    return true;
                case MemberExpression { Expression: { } inner, Member: PropertyInfo property } when TryEvaluate(inner, out var target) && target is not null:
                    value = property.GetValue(target);
                    return true;
                default:
                    value = null;
                    return false;
            }
        }
    }
}
