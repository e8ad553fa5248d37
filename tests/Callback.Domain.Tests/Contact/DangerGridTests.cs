using System.Text.Json;
using System.Text.Json.Nodes;
using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Domain.Content;

namespace Callback.Domain.Tests.Contact;

public class DangerGridTests
{
    private static readonly DangerGrid Grid = DangerGrid.Default;
    private static readonly DangerGridOptions Defaults = new();

    [Fact]
    public void ShippedGrid_Has23ItemsIn3Parts_With5RedOnes()
    {
        Assert.Equal(23, Grid.Items.Count);
        Assert.Equal(23, Grid.Items.Select(i => i.Id).Distinct().Count());
        Assert.All(Enum.GetValues<DangerGridPart>(), part => Assert.NotEmpty(Grid.ItemsIn(part)));
        Assert.Equal(["A1", "A2", "A3", "C1", "V2"], Grid.RedItems.Select(i => i.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ShippedGrid_HasEveryItemInFrenchAndEnglish()
    {
        Assert.All(Grid.Items, item =>
        {
            Assert.False(string.IsNullOrWhiteSpace(item.Text.Fr), item.Id);
            Assert.False(string.IsNullOrWhiteSpace(item.Text.En), item.Id);
            Assert.NotEqual(item.Text.Fr, item.Text.En);
        });
    }

    [Fact]
    public void ElevenYes_DoesNotEstablishDanger_TwelveDoes()
    {
        var eleven = Grid.Evaluate(Yes(NonRed(11)), Defaults);
        var twelve = Grid.Evaluate(Yes(NonRed(12)), Defaults);

        Assert.False(eleven.IsDangerEstablished);
        Assert.Equal(11, eleven.YesCount);
        Assert.Equal(DangerLevel.Moderate, eleven.SuggestedLevel);
        Assert.True(twelve.IsDangerEstablished);
        Assert.Equal(DangerThresholdsMet.YesCount, twelve.EstablishedBy);
        Assert.Equal(DangerLevel.High, twelve.SuggestedLevel);
    }

    [Fact]
    public void OneRedYes_DoesNotEstablishDanger_TwoDo()
    {
        var one = Grid.Evaluate(Yes("A2"), Defaults);
        var two = Grid.Evaluate(Yes("A2", "C1"), Defaults);

        Assert.False(one.IsDangerEstablished);
        Assert.Equal(1, one.RedYesCount);
        Assert.Equal(DangerLevel.Moderate, one.SuggestedLevel);
        Assert.True(two.IsDangerEstablished);
        Assert.Equal(DangerThresholdsMet.RedItems, two.EstablishedBy);
        Assert.Equal(["A2", "C1"], two.RedItemsAnsweredYes.Select(i => i.Id));
        Assert.Equal(DangerLevel.High, two.SuggestedLevel);
    }

    [Fact]
    public void BothThresholdsReached_AreBothReported()
    {
        var answers = Yes([.. NonRed(12), "A1", "A3"]);

        var evaluation = Grid.Evaluate(answers, Defaults);

        Assert.Equal(DangerThresholdsMet.YesCount | DangerThresholdsMet.RedItems, evaluation.EstablishedBy);
        Assert.Equal(14, evaluation.YesCount);
        Assert.Contains("14 « oui » (seuil 12)", evaluation.Explanation.Fr, StringComparison.Ordinal);
        Assert.Contains("(A1, A3) (threshold 2)", evaluation.Explanation.En, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10, 2, 10, 0, true)]
    [InlineData(14, 2, 12, 0, false)]
    [InlineData(12, 1, 0, 1, true)]
    [InlineData(12, 3, 0, 2, false)]
    public void ThresholdsFromOptions_DecideWhetherDangerIsEstablished(int yesThreshold, int redThreshold, int plainYes, int redYes, bool established)
    {
        var options = new DangerGridOptions { YesThreshold = yesThreshold, RedThreshold = redThreshold };
        var answers = Yes([.. NonRed(plainYes), .. Grid.RedItems.Take(redYes).Select(i => i.Id)]);

        var evaluation = Grid.Evaluate(answers, options);

        Assert.Equal(established, evaluation.IsDangerEstablished);
        Assert.Equal(established, evaluation.SuggestedLevel == DangerLevel.High);
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(24, 2)]
    [InlineData(12, 0)]
    [InlineData(12, 6)]
    public void ThresholdsTheGridCannotMeet_AreRefused(int yesThreshold, int redThreshold)
    {
        var options = new DangerGridOptions { YesThreshold = yesThreshold, RedThreshold = redThreshold };

        var error = Assert.Throws<InvalidOperationException>(() => Grid.Evaluate(new DangerGridAnswers(), options));

        Assert.StartsWith("DangerGrid:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(7, DangerLevel.Low)]
    [InlineData(8, DangerLevel.Moderate)]
    public void TwoThirdsOfTheYesThreshold_SuggestsModerate(int yes, DangerLevel expected)
    {
        Assert.Equal(expected, Grid.Evaluate(Yes(NonRed(yes)), Defaults).SuggestedLevel);
    }

    [Fact]
    public void AGridAnsweredNoEverywhere_IsLow_ButAnEmptyGridIsNotAssessed()
    {
        var allNo = new DangerGridAnswers();
        foreach (var item in Grid.Items)
        {
            allNo.Set(item.Id, GridAnswer.No);
        }

        Assert.Equal(DangerLevel.Low, Grid.Evaluate(allNo, Defaults).SuggestedLevel);
        var empty = Grid.Evaluate(new DangerGridAnswers(), Defaults);
        Assert.Equal(DangerLevel.NotAssessed, empty.SuggestedLevel);
        Assert.Equal(23, empty.UnansweredCount);
    }

    [Fact]
    public void AnswersNamingAnItemTheGridDoesNotHave_AreRefused()
    {
        var answers = Yes("V1").Set("X9", GridAnswer.Yes);

        var error = Assert.Throws<ArgumentException>(() => Grid.Evaluate(answers, Defaults));

        Assert.Contains("X9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Answers_RoundTripThroughTheirStoredJson()
    {
        var answers = Yes("A1", "C5").Set("V1", GridAnswer.No).Set("C5", GridAnswer.Unanswered);

        var json = answers.ToJson();
        var back = DangerGridAnswers.FromJson(json);

        Assert.Equal("""{"form":"danger-grid","version":1,"answers":{"A1":"yes","V1":"no"}}""", json);
        Assert.Equal(answers.Answered, back.Answered);
        Assert.Equal(GridAnswer.Unanswered, back["C5"]);
        Assert.Equal(answers.GridVersion, back.GridVersion);
    }

    [Theory]
    [InlineData("""{"form":"call-questionnaire","version":1,"answers":{"Q01":"yes"}}""")]
    [InlineData("""{"form":"danger-grid","version":1,"answers":{"A1":"maybe"}}""")]
    [InlineData("""{"form":"danger-grid","answers":{"A1":"yes"}}""")]
    [InlineData("""{"form":"danger-grid","version":1,"answers":{"A1":"yes"}""")]
    public void StoredJsonThatIsNotDangerGridAnswers_IsRefused(string json)
    {
        Assert.Throws<FormatException>(() => DangerGridAnswers.FromJson(json));
    }

    [Fact]
    public void MalformedGrid_FailsNamingTheItemAndTheMissingText()
    {
        var json = Edit(items => items[18]!["text"]!.AsObject().Remove("en"));

        var error = Assert.Throws<DataFileException>(() => DangerGrid.Parse(json, "test-grid.json"));

        Assert.Equal("test-grid.json", error.File);
        Assert.Equal("items[18] (id \"C3\").text.en: the English text is missing", Assert.Single(error.Problems));
        Assert.Contains("items[18] (id \"C3\")", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RedItemMissingItsText_IsReportedOnce_NotAlsoAsAMissingRedItem()
    {
        var json = Edit(items => items[7]!.AsObject().Remove("text"));

        var error = Assert.Throws<DataFileException>(() => DangerGrid.Parse(json, "test-grid.json"));

        Assert.Equal("items[7] (id \"A1\").text: missing (give \"fr\" and \"en\")", Assert.Single(error.Problems));
    }

    [Fact]
    public void GridWithASixthRedItem_FailsNamingTheRedItems()
    {
        var json = Edit(items => items[0]!["red"] = true);

        var error = Assert.Throws<DataFileException>(() => DangerGrid.Parse(json, "test-grid.json"));

        Assert.Contains("6 items are red (V1, V2, A1, A2, A3, C1); exactly 5 must be", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GridWithADuplicateIdAndAMissingItem_ReportsBothProblems()
    {
        var json = Edit(items =>
        {
            items[1]!["id"] = "V1";
            items.RemoveAt(22);
        });

        var error = Assert.Throws<DataFileException>(() => DangerGrid.Parse(json, "test-grid.json"));

        Assert.Contains(error.Problems, p => p.Contains("\"V1\" is used 2 times", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("22 items; it must have 23", StringComparison.Ordinal));
    }

    [Fact]
    public void GridWithAnItemInTheWrongPart_FailsNamingIt()
    {
        var json = Edit(items => items[7]!["part"] = "victim");

        var error = Assert.Throws<DataFileException>(() => DangerGrid.Parse(json, "test-grid.json"));

        Assert.Contains("items[7] (id \"A1\").id: an item of the part \"victim\" must have an id starting with V", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GridWithAMisspeltField_FailsInsteadOfIgnoringIt()
    {
        var json = Edit(items =>
        {
            items[3]!.AsObject().Remove("red");
            items[3]!["rde"] = false;
        });

        var error = Assert.Throws<DataFileException>(() => DangerGrid.Parse(json, "test-grid.json"));

        Assert.Contains("rde", error.Message, StringComparison.Ordinal);
        Assert.Contains("items[3]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GridThatIsNotJson_FailsWithTheLine()
    {
        var error = Assert.Throws<DataFileException>(() => DangerGrid.Parse("{\n  \"version\": 1,\n  \"items\": [\n", "test-grid.json"));

        Assert.Contains("line", error.Message, StringComparison.Ordinal);
        Assert.IsType<JsonException>(error.InnerException, exactMatch: false);
    }

    private static IEnumerable<string> NonRed(int count) => Grid.Items.Where(i => !i.Red).Take(count).Select(i => i.Id);

    private static DangerGridAnswers Yes(params IEnumerable<string> ids)
    {
        var answers = new DangerGridAnswers();
        foreach (var id in ids)
        {
            answers.Set(id, GridAnswer.Yes);
        }

        return answers;
    }

    /// <summary>The shipped grid with one change, as a test file.</summary>
    private static string Edit(Action<JsonArray> change)
    {
        var root = JsonNode.Parse(EmbeddedData.ReadText(DangerGrid.FileName), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!;
        change(root["items"]!.AsArray());
        return root.ToJsonString();
    }
}
