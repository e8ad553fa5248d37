using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Web.Features.Cases;

namespace Callback.Web.Components.Tests;

public class DangerGridFormTests : CallbackComponentTest
{
    private static IEnumerable<DangerGridItem> Plain => DangerGrid.Default.Items.Where(i => !i.Red);

    private static IEnumerable<DangerGridItem> Red => DangerGrid.Default.RedItems;

    private (IRenderedComponent<DangerGridForm> Form, Func<DangerLevel> Level) RenderGrid()
    {
        var level = DangerLevel.NotAssessed;
        var form = Render<DangerGridForm>(p => p
            .Add(x => x.Level, level)
            .Add(x => x.LevelChanged, l => level = l));
        return (form, () => level);
    }

    private static void AnswerYes(IRenderedComponent<DangerGridForm> form, IEnumerable<DangerGridItem> items)
    {
        foreach (var item in items)
        {
            form.Find($"[data-testid=grid-{item.Id}-yes]").Change(true);
        }
    }

    [Fact]
    public void Grid_ShowsTwentyThreeItemsInThreeParts_FiveMarkedRed()
    {
        var (form, _) = RenderGrid();

        Assert.Equal(23, form.FindAll(".grid-item").Count);
        Assert.Equal(5, form.FindAll(".grid-item.grid-red").Count);
        Assert.Equal(3, form.FindAll("fieldset.grid-part").Count);
    }

    [Fact]
    public void ElevenYes_DoNotEstablishDanger_TwelveDo()
    {
        var (form, level) = RenderGrid();

        AnswerYes(form, Plain.Take(11));
        Assert.Contains("danger non établi", form.Find("[data-testid=grid-result]").TextContent);
        Assert.NotEqual(DangerLevel.High, level());

        AnswerYes(form, Plain.Skip(11).Take(1));
        Assert.Contains("danger avéré", form.Find("[data-testid=grid-result]").TextContent);
        Assert.Equal(DangerLevel.High, level());
    }

    [Fact]
    public void OneRedYes_DoesNotEstablishDanger_TwoDo()
    {
        var (form, level) = RenderGrid();

        AnswerYes(form, Red.Take(1));
        Assert.Contains("danger non établi", form.Find("[data-testid=grid-result]").TextContent);
        Assert.Equal(DangerLevel.Moderate, level());

        AnswerYes(form, Red.Skip(1).Take(1));
        Assert.Contains("danger avéré", form.Find("[data-testid=grid-result]").TextContent);
        Assert.Equal(DangerLevel.High, level());
    }
}
