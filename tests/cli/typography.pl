#!/usr/bin/perl
# French typography of the interface's own text: the templates' text and
# user-facing attributes (views/**/*.mustache) and the French string
# literals of the C sources (src/**/*.c). User content never passes here:
# it reaches pages through {{tags}}, which are left alone.
#
# The rules:
#   - a narrow no-break space (U+202F) before : ; ? ! and inside « »,
#     never a plain or missing space;
#   - a typographic apostrophe (’) between letters, never a straight one.
#
# Left alone: Mustache tags and comments, HTML comments, <script>, <style>,
# <code> and <pre>, tag names and technical attributes (href, class, ...),
# HTML entities (&nbsp;: already right), and in C every literal that does
# not look French (log lines, formats, JSON, filters) or is marked
# /* stored as is */ (a value kept in the database).
#
# Usage: typography.pl SRC_DIR          report offences, exit 1 if any
#        typography.pl --fix SRC_DIR    rewrite the files in place
use strict;
use warnings;
use utf8;
use open qw(:std :encoding(UTF-8));
use File::Find;

my $fix = @ARGV && $ARGV[0] eq '--fix' ? shift @ARGV : 0;
my $root = shift @ARGV or die "usage: $0 [--fix] SRC_DIR\n";
my $NNBSP = "\x{202F}";
my @offences;

# Returns text with the rules applied; $esc is the narrow no-break space.
sub typeset {
	my ($text, $esc) = @_;
	# Entities stand aside as private-use characters, so that "&nbsp;"
	# ends no word before a ';': the no-break ones count as spaces.
	my @entities;
	$text =~ s{(&#?\w+;)}{push @entities, $1; chr(0xE000 + $#entities)}ge;
	my $kept = join '', map { chr(0xE000 + $_) }
	    grep { $entities[$_] =~ /^&(?:nbsp|#160|#8239|#x202f);$/i } 0 .. $#entities;
	my $nb = "\x{202F}" . $kept;
	$text =~ s/[ \x{00A0}]+([:;?!])/$esc$1/g;
	$text =~ s/(?<=[\p{L}\)»])([;?!])/$esc$1/g;
	# Inside « », spaces become one narrow no-break space, and one is
	# added where none is; a guillemet that ends or starts the text is
	# left to what follows or precedes it (a tag, a C macro).
	$text =~ s/«(?:[ \x{00A0}\x{202F}]++|(?=[^\Q$nb\E]))(?![\Q$nb\E])/«$esc/g;
	$text =~ s/(?:(?<![\Q$nb\E])[ \x{00A0}\x{202F}]++|(?<=[^\Q$nb\E]))»/$esc»/g;
	$text =~ s/(?<=\p{L})'(?=\p{L}|$)/’/g;
	$text =~ s{([\x{E000}-\x{EFFF}])}{$entities[ord($1) - 0xE000]}ge;
	return $text;
}

# The attributes whose values people read.
my $READ_ATTRS = qr/aria-label|title|placeholder|alt|content|data-label/;

# Returns a template with its text and readable attribute values typeset.
sub typeset_template {
	my ($src) = @_;
	my $out = '';
	while ($src =~ m~\G(
		  \{\{!.*?\}\}                       # Mustache comment
		| \{\{\{.*?\}\}\}                    # unescaped tag
		| \{\{.*?\}\}                        # tag
		| <!--.*?-->
		| <(script|style|code|pre)\b.*?</\2>
		| <[^>]*>                            # an HTML tag
		| [^<{]+                             # text
		| [<{]                               # a lone bracket
		)~gsx) {
		my $tok = $1;
		if ($tok =~ /^<[a-zA-Z]/ && $tok !~ /^<(script|style|code|pre)\b/) {
			$tok =~ s{(\b(?:$READ_ATTRS)=")([^"]*)"}{$1 . typeset($2, $NNBSP) . '"'}ge;
		} elsif ($tok !~ /^[<{]/) {
			$tok = typeset($tok, $NNBSP);
		}
		$out .= $tok;
	}
	return $out;
}

# Returns true when a C string literal's contents read as French text.
sub is_french {
	my ($s) = @_;
	return 0 unless $s =~ / /;
	return $s =~ /[àâçéèêëîïôûùüÿœ’«»ÀÉÈ]|\\u202f/i
	    || $s =~ /\b(?:le|la|les|de|des|du|un|une|est|pas|vous|votre|vos|cette|ce|ne|et|ou|pour|sur)\b/;
}

# Returns a C source with its French literals typeset.
sub typeset_c {
	my ($src) = @_;
	my $out = '';
	while ($src =~ m~\G(
		  //[^\n]*                           # line comment
		| /\*.*?\*/                          # block comment
		| '(?:\\.|[^'\\])*'                  # character literal
		| "(?:\\.|[^"\\\n])*"                # string literal
		| [^/'"]+
		| .
		)~gsx) {
		my $tok = $1;
		# A literal marked "stored as is" is data (a code kept in the
		# database), not text: it is left alone.
		my $stored = substr($src, pos($src)) =~ m{^\s*,?\s*/\*\s*stored as is};
		if ($tok =~ /^"(.*)"$/s && !$stored && is_french($1)) {
			# The escape counts as the character it writes, and is how
			# the sources write it.
			(my $body = $1) =~ s/\\u202f/$NNBSP/gi;
			$body = typeset($body, $NNBSP);
			$body =~ s/$NNBSP/\\u202f/g;
			$tok = "\"$body\"";
		}
		$out .= $tok;
	}
	return $out;
}

# Records, for each line of $before that $after changed, an offence.
sub report {
	my ($file, $before, $after) = @_;
	my @b = split /\n/, $before, -1;
	my @a = split /\n/, $after, -1;
	for my $i (0 .. $#b) {
		next if $b[$i] eq ($a[$i] // '');
		(my $show = $a[$i]) =~ s/\x{202F}/⍽/g;
		push @offences, "$file:" . ($i + 1) . ": should read: " . ($show =~ s/^\s+//r);
	}
}

sub visit {
	my ($file, $typeset) = @_;
	open my $in, '<', $file or die "$file: $!\n";
	local $/;
	my $before = <$in>;
	close $in;
	my $after = $typeset->($before);
	return if $after eq $before;
	if ($fix) {
		open my $out, '>', $file or die "$file: $!\n";
		print $out $after;
		close $out;
		print "fixed $file\n";
	} else {
		report($file, $before, $after);
	}
}

my (@views, @sources);
find(sub { push @views, $File::Find::name if /\.mustache$/ && !/openapi\.json/ }, "$root/views");
find(sub { push @sources, $File::Find::name if /\.c$/ }, "$root/src");
visit($_, \&typeset_template) for sort @views;
visit($_, \&typeset_c) for sort @sources;

if (@offences) {
	print "$_\n" for @offences;
	print scalar(@offences) . " line(s) break the French typography rules (⍽: U+202F).\n"
	    . "Run tests/cli/typography.pl --fix . to apply them.\n";
	exit 1;
}
print "French typography: views and messages follow the rules.\n";
