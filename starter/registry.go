package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"chuyenhoa/cycle"
	"chuyenhoa/sample"
)

// The province registry in the store, and sample input files.

func (x *operatorTools) registryCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "registry", Short: "Manage the province registry in the store"}
	var csvFile, issuerFile, slug string
	imp := &cobra.Command{
		Use:   "import",
		Short: "Import a province's districts and communes (and its issuer configuration)",
		Long: `Import a province into the store, either a bundled sample province (--sample
quang-ngai|tay-ninh|ba-ria-vung-tau|binh-phuoc|quang-ninh, with synthetic new-rural
flags) or a registry CSV (--csv, columns province_code, province_name, district_code,
district_name, commune_code, commune_name[, new_rural]) with an issuer JSON (--issuer).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			var p cycle.Province
			var is cycle.Issuer
			var err error
			switch {
			case slug != "":
				p, is, err = sample.Province(slug)
			case csvFile != "" && issuerFile != "":
				p, is, err = readRegistry(csvFile, issuerFile)
			default:
				return fmt.Errorf("give --sample NAME, or --csv FILE and --issuer FILE")
			}
			if err != nil {
				return err
			}
			db, err := x.store(ctx)
			if err != nil {
				return err
			}
			if err := db.SaveProvince(ctx, p, is); err != nil {
				return err
			}
			fmt.Fprintf(x.out, "imported %s (%s): %d districts, %d communes; decisions issued by %s, numbered .../%s\n", p.Name, p.Code, len(p.Districts), len(p.Communes), is.Body, is.NumberSuffix)
			return nil
		},
	}
	imp.Flags().StringVar(&slug, "sample", "", "a bundled sample province")
	imp.Flags().StringVar(&csvFile, "csv", "", "registry CSV file")
	imp.Flags().StringVar(&issuerFile, "issuer", "", "issuer configuration JSON file (fields of cycle.Issuer)")
	cmd.AddCommand(imp)
	return cmd
}

func readRegistry(csvFile, issuerFile string) (cycle.Province, cycle.Issuer, error) {
	f, err := os.Open(csvFile)
	if err != nil {
		return cycle.Province{}, cycle.Issuer{}, err
	}
	defer f.Close()
	p, err := cycle.ReadRegistryCSV(f)
	if err != nil {
		return cycle.Province{}, cycle.Issuer{}, fmt.Errorf("%s: %w", csvFile, err)
	}
	b, err := os.ReadFile(issuerFile)
	if err != nil {
		return cycle.Province{}, cycle.Issuer{}, err
	}
	var is cycle.Issuer
	if err := json.Unmarshal(b, &is); err != nil {
		return cycle.Province{}, cycle.Issuer{}, cycle.Errorf(cycle.EINVALID, "%s: %v", issuerFile, err)
	}
	if err := is.Validate(); err != nil {
		return cycle.Province{}, cycle.Issuer{}, fmt.Errorf("%s: %w", issuerFile, err)
	}
	if err := is.ValidateDocuments(); err != nil {
		return cycle.Province{}, cycle.Issuer{}, fmt.Errorf("%s: %w", issuerFile, err)
	}
	return p, is, nil
}

func (x *operatorTools) sampleCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "sample", Short: "Write sample input files (synthetic figures) for trying the commands"}
	var slug, unit, format string
	var year int
	prop := &cobra.Command{
		Use:   "proposal",
		Short: "Print a sample district proposal with synthetic figures (JSON or CSV)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, _, err := sample.Province(slug)
			if err != nil {
				return err
			}
			for _, pr := range sample.Proposals(p, cycle.DefaultPolicy(), year) {
				if pr.Unit != unit {
					continue
				}
				if format == "csv" {
					return cycle.WriteProposalCSV(x.out, p, pr)
				}
				enc := json.NewEncoder(x.out)
				enc.SetIndent("", "  ")
				return enc.Encode(pr)
			}
			return cycle.Errorf(cycle.ENOTFOUND, "unit %q is not a district of %s; districts: %s", unit, p.Name, strings.Join(p.Units(), ", "))
		},
	}
	prop.Flags().StringVar(&slug, "province", "quang-ngai", "sample province")
	prop.Flags().StringVar(&unit, "district", "522", "district code")
	prop.Flags().IntVar(&year, "year", 2027, "cycle year")
	prop.Flags().StringVar(&format, "format", "json", "json or csv")
	cmd.AddCommand(prop)
	return cmd
}
