package tmpdeps

import (
	_ "github.com/jung-kurt/gofpdf"
	_ "github.com/lib/pq"
	_ "github.com/temporalio/ui-server/v2/server"
	_ "go.temporal.io/sdk/client"
	_ "go.temporal.io/sdk/testsuite"
	_ "go.temporal.io/sdk/worker"
	_ "go.temporal.io/sdk/workflow"
	_ "go.temporal.io/server/temporal"
	_ "go.temporal.io/server/temporaltest"
	_ "go.temporal.io/server/schema/sqlite"
	_ "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	_ "go.temporal.io/server/common/membership/static"
	_ "golang.org/x/text/unicode/norm"
	_ "github.com/stretchr/testify/require"
)
